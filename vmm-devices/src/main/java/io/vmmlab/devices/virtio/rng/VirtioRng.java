package io.vmmlab.devices.virtio.rng;

import io.vmmlab.devices.virtio.VirtioDeviceBackend;
import io.vmmlab.devices.virtio.Virtqueue;

import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * A virtio entropy device (virtio spec §5.4): one request queue whose device-writable buffers it fills with
 * random bytes, up to {@value #MAX_BYTES_PER_REQUEST} bytes per request. No features, no configuration.
 */
public final class VirtioRng implements VirtioDeviceBackend {
    /** The entropy device ID (§5.4.1). */
    public static final int DEVICE_ID = 4;
    /** The most bytes one request gets; drivers ask for a page at most. */
    public static final int MAX_BYTES_PER_REQUEST = 65536;

    private final RandomGenerator random;

    /**
     * Creates the device.
     *
     * @param random where the bytes come from: a {@link java.security.SecureRandom}, or a seeded generator for
     *               reproducible runs
     */
    public VirtioRng(RandomGenerator random) {
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return 0;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public long readConfig(int offset, int size) {
        return 0;
    }

    /** §5.4.6: the device writes random bytes into each buffer and reports how many it wrote. */
    @Override
    public void queueNotified(Virtqueue queue) {
        queue.serve(Long.MAX_VALUE, chain -> { // each request at most 64 KiB, so a queue's worth is bounded
            byte[] bytes = new byte[Math.min(chain.writableLength(), MAX_BYTES_PER_REQUEST)];
            random.nextBytes(bytes);
            return chain.write(0, bytes, 0, bytes.length);
        });
    }
}
