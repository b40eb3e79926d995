package io.vmmlab.devices;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.spi.DeviceProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class DeviceProvidersTest {
    @TempDir
    Path directory;

    private static Map<String, DeviceProvider> providers() {
        return ServiceLoader.load(DeviceProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(DeviceProvider::name, Function.identity()));
    }

    @Test
    void serviceLoaderFindsExactlyTheEightBoardDevices() {
        assertThat(providers()).containsOnlyKeys("clint", "plic", "ns16550a", "sifive-test", "goldfish-rtc",
                "virtio-blk", "virtio-rng", "virtio-console");
        assertThat(providers().values()).allSatisfy(provider -> assertThat(provider.description()).isNotBlank());
    }

    @Test
    void onlyInterruptSourcesAskForAnInterrupt() {
        Map<String, DeviceProvider> providers = providers();
        assertThat(providers.values().stream().filter(DeviceProvider::needsInterrupt).map(DeviceProvider::name))
                .containsExactlyInAnyOrder("ns16550a", "goldfish-rtc", "virtio-blk", "virtio-rng", "virtio-console");
    }

    @Test
    void buildsTheWholeVirtBoardAndDescribesIt() throws IOException {
        Path image = Files.write(directory.resolve("disk.img"), new byte[4096]);
        DeviceContexts board = new DeviceContexts(2);
        Map<String, DeviceProvider> providers = providers();
        List<Device> devices = List.of(
                providers.get("clint").create(board.context("clint", 0x0200_0000L, 0x10000, 0), spec("clint")),
                providers.get("plic").create(board.context("plic", 0x0c00_0000L, 0x600000, 0), spec("plic")),
                providers.get("ns16550a").create(board.context("uart0", 0x1000_0000L, 0x100, 10), spec("ns16550a")),
                providers.get("sifive-test").create(board.context("test", 0x10_0000L, 0x1000, 0),
                        spec("sifive-test")),
                providers.get("goldfish-rtc").create(board.context("rtc", 0x10_1000L, 0x1000, 11),
                        spec("goldfish-rtc")),
                providers.get("virtio-blk").create(board.context("vda", 0x1000_1000L, 0x1000, 1),
                        new DeviceSpec("virtio-blk", Map.of("path", image.toString()))),
                providers.get("virtio-rng").create(board.context("rng0", 0x1000_2000L, 0x1000, 2),
                        spec("virtio-rng")),
                providers.get("virtio-console").create(board.context("hvc0", 0x1000_3000L, 0x1000, 3),
                        spec("virtio-console")));

        assertThat(devices.get(1)).isInstanceOf(InterruptController.class);
        RecordingDeviceTreeWriter tree = new RecordingDeviceTreeWriter();
        devices.forEach(device -> device.describe(tree));
        assertThat(tree.nodes()).extracting(RecordingDeviceTreeWriter.Node::name).containsExactly(
                "clint@2000000", "plic@c000000", "serial@10000000", "test@100000", "poweroff", "reboot",
                "rtc@101000",
                "virtio_mmio@10001000", "virtio_mmio@10002000", "virtio_mmio@10003000");
        devices.forEach(device -> assertThat(device.poll(0)).isEqualTo(Long.MAX_VALUE));
        devices.forEach(Device::close);
    }

    @Test
    void everyProviderRejectsUnknownOptions() {
        DeviceContexts board = new DeviceContexts(1);
        for (DeviceProvider provider : providers().values()) {
            assertThatThrownBy(() -> provider.create(board.context("x", 0x1000_0000L, 0x1000, 5),
                    new DeviceSpec(provider.name(), Map.of("bogus", "1"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(provider.name() + ": unknown option 'bogus'");
        }
    }

    private static DeviceSpec spec(String kind) {
        return new DeviceSpec(kind, Map.of());
    }
}
