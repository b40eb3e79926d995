package io.vmmlab.devices.virtio.rng;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.virtio.VirtioMmioTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Creates a virtio-mmio entropy device ({@code "virtio-rng"}). Option {@code seed} (an integer) makes the bytes
 * reproducible with a seeded {@link SplittableRandom}, for deterministic runs; without it the bytes come from
 * {@link SecureRandom}.
 */
public final class VirtioRngProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(VirtioRngProvider.class);

    /** The provider name. */
    public static final String NAME = "virtio-rng";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "virtio-mmio entropy device (option: seed, for reproducible bytes)";
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions options = DeviceOptions.of(NAME, spec, Set.of("seed"));
        OptionalLong seed = options.integer("seed");
        int interruptNumber = options.requireInterrupt(context.interruptNumber());
        RandomGenerator random = seed.isPresent() ? new SplittableRandom(seed.getAsLong()) : new SecureRandom();
        log.info("Created {} at {} on interrupt {}{}", context.instanceName(), context.range(), interruptNumber,
                seed.isPresent() ? " with seed " + seed.getAsLong() : "");
        return new VirtioMmioTransport(context.instanceName(), context.range(), interruptNumber,
                context.interrupt(), context.memory(), new VirtioRng(random),
                new MmioAccessCounters(context.counters(), context.instanceName()));
    }
}
