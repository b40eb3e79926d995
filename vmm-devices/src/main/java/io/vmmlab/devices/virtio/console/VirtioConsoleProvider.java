package io.vmmlab.devices.virtio.console;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.virtio.VirtioMmioTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Creates a single-port virtio-mmio console ({@code "virtio-console"}) on the host console. Takes no options. */
public final class VirtioConsoleProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(VirtioConsoleProvider.class);

    /** The provider name. */
    public static final String NAME = "virtio-console";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "virtio-mmio console, one port, on the host console";
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions options = DeviceOptions.of(NAME, spec, Set.of());
        int interruptNumber = options.requireInterrupt(context.interruptNumber());
        log.info("Created {} at {} on interrupt {}", context.instanceName(), context.range(), interruptNumber);
        return new VirtioMmioTransport(context.instanceName(), context.range(), interruptNumber,
                context.interrupt(), context.memory(), new VirtioConsole(context.console()),
                new MmioAccessCounters(context.counters(), context.instanceName()));
    }
}
