package io.vmmlab.devices.plic;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Creates the board's PLIC ({@code "plic"}). Takes no options. The device it returns also implements
 * {@link io.vmmlab.api.device.InterruptController}, so the board can hand other devices its source lines.
 */
public final class PlicProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(PlicProvider.class);

    /** The provider name. */
    public static final String NAME = "plic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SiFive PLIC: 95 level-triggered sources, M and S contexts per hart (sifive,plic-1.0.0)";
    }

    @Override
    public boolean needsInterrupt() {
        return false;
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions.of(NAME, spec, Set.of());
        Plic plic = new Plic(context.instanceName(), context.range(), context.harts(),
                new MmioAccessCounters(context.counters(), context.instanceName()));
        log.info("Created {} at {} with {} sources and {} contexts", context.instanceName(), context.range(),
                Plic.MAX_SOURCE, 2 * context.harts().hartCount());
        return plic;
    }
}
