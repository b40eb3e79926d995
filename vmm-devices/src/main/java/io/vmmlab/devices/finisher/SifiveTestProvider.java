package io.vmmlab.devices.finisher;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Creates the SiFive test finisher ({@code "sifive-test"}): guest-initiated power-off and reset. No options. */
public final class SifiveTestProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(SifiveTestProvider.class);

    /** The provider name. */
    public static final String NAME = "sifive-test";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SiFive test finisher: guest power-off (pass/fail code) and reset (sifive,test0)";
    }

    @Override
    public boolean needsInterrupt() {
        return false;
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions.of(NAME, spec, Set.of());
        SifiveTestFinisher finisher = new SifiveTestFinisher(context.instanceName(), context.range(),
                new MmioAccessCounters(context.counters(), context.instanceName()), context.control());
        log.info("Created {} at {}", context.instanceName(), context.range());
        return finisher;
    }
}
