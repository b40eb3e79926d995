package io.vmmlab.devices.virtio.blk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class DiskImageTest {
    @TempDir
    Path directory;

    private Path image() throws IOException {
        return Files.write(directory.resolve("disk.img"), new byte[2 * DiskImage.SECTOR_SIZE]);
    }

    @Test
    void aWritableImageIsHeldByOneVmAloneThroughAnyOfItsNames() throws IOException {
        Path image = image();
        Path link = Files.createSymbolicLink(directory.resolve("link.img"), image.getFileName());

        try (DiskImage writer = DiskImage.open(image, false)) {
            assertThatThrownBy(() -> DiskImage.open(link, false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("virtio-blk: disk image " + link + " is in use by another VM (or named twice); a "
                            + "writable image is not shared (attach it read-only in every VM: --disk FILE,readonly)");
            assertThatThrownBy(() -> DiskImage.open(image, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("virtio-blk: disk image " + image + " is open for writing by another VM (or named "
                            + "twice)");
            assertThat(writer.sectors()).isEqualTo(2);
        }
        try (DiskImage again = DiskImage.open(link, false)) {
            assertThat(again.isReadOnly()).isFalse();
        }
    }

    @Test
    void anImageWithoutAWholeSectorIsRefusedAndLeftFree() throws IOException {
        Path tiny = Files.write(directory.resolve("tiny.img"), new byte[100]);

        assertThatThrownBy(() -> DiskImage.open(tiny, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("virtio-blk: disk image " + tiny + " holds no whole 512-byte sector (100 bytes)");
        Files.write(tiny, new byte[DiskImage.SECTOR_SIZE]);
        try (DiskImage image = DiskImage.open(tiny, false)) {
            assertThat(image.sectors()).isEqualTo(1);
        }
    }

    @Test
    void readersShareAnImageAndKeepWritersOutUntilTheLastOneCloses() throws IOException {
        Path image = image();
        byte[] data = new byte[DiskImage.SECTOR_SIZE];

        DiskImage first = DiskImage.open(image, true);
        DiskImage second = DiskImage.open(image, true);
        first.close();
        second.read(0, data, data.length); // the shared channel stays open for the other reader
        assertThatThrownBy(() -> DiskImage.open(image, false)).isInstanceOf(IllegalArgumentException.class);
        second.close();
        second.close(); // closing twice does not end another lease

        try (DiskImage writer = DiskImage.open(image, false)) {
            writer.write(0, new byte[] {1}, 1);
        }
        assertThat(Files.readAllBytes(image)[0]).isEqualTo((byte) 1);
    }

    /** A lease that ends while another VM's starts: readers never refuse each other. */
    @Test
    void readersOpeningAndClosingAtOnceNeverRefuseEachOther() throws Exception {
        Path image = image();
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        Runnable reader = () -> {
            for (int i = 0; i < 20_000; i++) {
                try {
                    DiskImage.open(image, true).close();
                } catch (IllegalArgumentException e) {
                    refusals.incrementAndGet();
                }
            }
        };
        Thread other = new Thread(reader);
        other.start();
        reader.run();
        other.join();

        assertThat(refusals).hasValue(0);
        try (DiskImage writer = DiskImage.open(image, false)) {
            assertThat(writer.isReadOnly()).isFalse();
        }
    }

    @Test
    void anImageAnotherProcessWritesIsRefusedAndReadableOnceItEnds() throws Exception {
        Path image = image();
        Path holder = Files.writeString(directory.resolve("Holder.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                class Holder {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
                                StandardOpenOption.WRITE)) {
                            channel.lock();
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, holder.toString(), image.toString()).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> DiskImage.open(image, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is open for writing by another VM");
            assertThatThrownBy(() -> DiskImage.open(image, false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is in use by another VM");
        } finally {
            process.getOutputStream().close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (DiskImage reader = DiskImage.open(image, true)) {
            assertThat(reader.isReadOnly()).isTrue();
        }
    }
}
