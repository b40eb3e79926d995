package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.HartInterruptLines;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.device.MachineControl;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.discovery.Plugins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Creates devices from their providers, gives each a context (its window, its interrupt at the PLIC, the
 * guest's memory for DMA) and maps it on the bus.
 */
final class DeviceFactory {
    private static final Logger log = LoggerFactory.getLogger(DeviceFactory.class);

    private final Plugins plugins;
    private final GuestMemory guestMemory;
    private final MmioBus bus;
    private final TimeSource time;
    private final HartInterruptLines harts;
    private final HostConsole console;
    private final Counters counters;
    private final MachineControl control;

    DeviceFactory(Plugins plugins, GuestMemory guestMemory, MmioBus bus, TimeSource time, HartInterruptLines harts,
                  HostConsole console, Counters counters, MachineControl control) {
        this.plugins = plugins;
        this.guestMemory = guestMemory;
        this.bus = bus;
        this.time = time;
        this.harts = harts;
        this.console = console;
        this.counters = counters;
        this.control = control;
    }

    Device create(String kind, String name, AddressRange range, int interrupt, InterruptController controller) {
        return create(new DeviceSpec(kind, Map.of()), name, range, interrupt, controller);
    }

    Device create(DeviceSpec spec, String name, AddressRange range, int interrupt, InterruptController controller) {
        DeviceProvider provider = plugins.devices().require(spec.kind());
        int source = provider.needsInterrupt() ? interrupt : 0;
        InterruptLine line = source > 0 && controller != null ? controller.source(source) : asserted -> { };
        String label = PluginFailure.label(name, provider.getClass());
        Device device = PluginFailure.made(label, "could not be made", () -> provider.create(
                new DeviceContext(name, range, source, line, guestMemory, time, harts, console, counters, control),
                spec));
        AddressRange mapped = device.range();
        if (mapped == null || !range.contains(mapped.base(), mapped.size())) {
            closeAfterFailure(device);
            throw PluginFailure.of(label, "claims " + mapped + ", outside the window the board gave it, " + range,
                    null);
        }
        bus.map(name, mapped, device);
        log.info("Mapped {} ({}) at {}", name, spec.kind(), device.range());
        return device;
    }

    private static void closeAfterFailure(Device device) {
        try {
            device.close();
        } catch (RuntimeException e) {
            // The failure being reported is the one to see.
        }
    }
}
