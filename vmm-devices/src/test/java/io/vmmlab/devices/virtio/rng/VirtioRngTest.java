package io.vmmlab.devices.virtio.rng;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.devices.DeviceContexts;
import io.vmmlab.devices.virtio.VirtioTestDriver;
import io.vmmlab.devices.virtio.VirtioTestDriver.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class VirtioRngTest {
    private static final long DATA = VirtioTestDriver.DATA;

    private byte[] entropy(Map<String, String> options, int length) {
        DeviceContexts board = new DeviceContexts(1);
        Device device = new VirtioRngProvider().create(board.context("rng0", 0x1000_2000L, 0x1000, 2),
                new DeviceSpec("virtio-rng", options));
        VirtioTestDriver driver = new VirtioTestDriver(device, board.memory);
        driver.start(0, 1);
        int head = driver.submit(0, Buffer.writable(DATA, length / 2), Buffer.writable(DATA + 0x100, length / 2));
        assertThat(driver.used(0, 0)).isEqualTo(new VirtioTestDriver.Used(head, length));
        byte[] bytes = new byte[length];
        board.memory.read(DATA, bytes, 0, length / 2);
        board.memory.read(DATA + 0x100, bytes, length / 2, length / 2);
        return bytes;
    }

    @Test
    void fillsTheWholeBuffer() {
        byte[] bytes = entropy(Map.of(), 64);
        int zeros = 0;
        for (byte octet : bytes) {
            zeros += octet == 0 ? 1 : 0;
        }
        assertThat(zeros).isLessThan(16);
    }

    @Test
    void aSeedMakesTheBytesReproducible() {
        assertThat(entropy(Map.of("seed", "42"), 32)).isEqualTo(entropy(Map.of("seed", "42"), 32));
        assertThat(entropy(Map.of("seed", "42"), 32)).isNotEqualTo(entropy(Map.of("seed", "43"), 32));
    }

    @Test
    void rejectsABadSeed() {
        DeviceContexts board = new DeviceContexts(1);
        assertThatThrownBy(() -> new VirtioRngProvider().create(board.context("rng0", 0x1000_2000L, 0x1000, 2),
                new DeviceSpec("virtio-rng", Map.of("seed", "lots"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("virtio-rng: option 'seed' must be an integer, not 'lots'");
    }
}
