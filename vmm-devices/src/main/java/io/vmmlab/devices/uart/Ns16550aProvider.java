package io.vmmlab.devices.uart;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Creates an NS16550A UART ({@code "ns16550a"}) wired to the host console. Takes no options. */
public final class Ns16550aProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(Ns16550aProvider.class);

    /** The provider name. */
    public static final String NAME = "ns16550a";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NS16550A UART on the host console (ns16550a)";
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions options = DeviceOptions.of(NAME, spec, Set.of());
        int interruptNumber = options.requireInterrupt(context.interruptNumber());
        Ns16550aUart uart = new Ns16550aUart(context.instanceName(), context.range(), interruptNumber,
                context.interrupt(), context.console(),
                new MmioAccessCounters(context.counters(), context.instanceName()));
        log.info("Created {} at {} on interrupt {}", context.instanceName(), context.range(), interruptNumber);
        return uart;
    }
}
