package io.vmmlab.devices.clint;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Creates the board's CLINT ({@code "clint"}): machine software and timer interrupts. Takes no options. */
public final class ClintProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(ClintProvider.class);

    /** The provider name. */
    public static final String NAME = "clint";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SiFive CLINT: per-hart msip and mtimecmp, shared mtime (sifive,clint0)";
    }

    @Override
    public boolean needsInterrupt() {
        return false;
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions.of(NAME, spec, Set.of());
        Clint clint = new Clint(context.instanceName(), context.range(), context.time(), context.harts(),
                new MmioAccessCounters(context.counters(), context.instanceName()));
        log.info("Created {} at {} for {} harts", context.instanceName(), context.range(),
                context.harts().hartCount());
        return clint;
    }
}
