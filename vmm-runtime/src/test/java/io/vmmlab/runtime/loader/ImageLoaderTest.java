package io.vmmlab.runtime.loader;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.vmmlab.runtime.loader.ElfBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ImageLoaderTest {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long RAM_SIZE = 0x4000;

    private final FlatRam ram = new FlatRam(RAM_BASE, RAM_SIZE);
    private final ImageLoader loader = new ImageLoader(ram);

    @TempDir
    Path directory;

    private void fillRam(int value) {
        for (long address = RAM_BASE; address < RAM_BASE + RAM_SIZE; address++) {
            ram.write8(address, value);
        }
    }

    @Test
    void loadsElfSegmentsAtTheirPhysicalAddresses() {
        byte[] file = new ElfBuilder().entry(0x8000_0100L)
                .load(0x8000_0100L, bytes(0x93, 0x00, 0x50, 0x00))
                .load(0x8000_2000L, bytes(0xaa, 0xbb))
                .symbol("tohost", 0x8000_2000L)
                .build();

        ImageLoader.LoadedImage image = loader.load(Path.of("k.elf"), file, RAM_BASE);

        assertThat(ram.read32(0x8000_0100L)).isEqualTo(0x0050_0093);
        assertThat(ram.read16(0x8000_2000L)).isEqualTo(0xbbaa);
        assertThat(ram.read8(0x8000_00ffL)).isZero();
        assertThat(image.entry()).isEqualTo(0x8000_0100L);
        assertThat(image.range()).isEqualTo(new AddressRange(0x8000_0100L, 0x1f02));
        assertThat(image.elf()).hasValueSatisfying(elf -> assertThat(elf.symbol("tohost")).contains(0x8000_2000L));
    }

    @Test
    void zeroesTheMemoryPartOfASegmentBeyondItsFileBytes() {
        fillRam(0xee);
        byte[] file = new ElfBuilder().load(0x8000_1000L, bytes(1, 2, 3, 4), 0x100).build();

        loader.load(Path.of("k.elf"), file, RAM_BASE);

        assertThat(ram.read32(0x8000_1000L)).isEqualTo(0x0403_0201);
        for (long address = 0x8000_1004L; address < 0x8000_1100L; address++) {
            assertThat(ram.read8(address)).as("byte at 0x%x", address).isZero();
        }
        assertThat(ram.read8(0x8000_1100L)).isEqualTo(0xee);
        assertThat(ram.read8(0x8000_0fffL)).isEqualTo(0xee);
    }

    @Test
    void loadsASegmentThatEndsExactlyAtTheEndOfRam() {
        byte[] file = new ElfBuilder().load(RAM_BASE + RAM_SIZE - 4, bytes(9, 8, 7, 6)).build();

        loader.load(Path.of("k.elf"), file, RAM_BASE);

        assertThat(ram.read32(RAM_BASE + RAM_SIZE - 4)).isEqualTo(0x0607_0809);
    }

    @Test
    void refusesASegmentOutsideRamBeforeWritingAnything() {
        fillRam(0xee);
        byte[] file = new ElfBuilder()
                .load(0x8000_0000L, bytes(1, 2, 3, 4))
                .load(0x8000_4000L, bytes(5, 6, 7, 8))
                .build();

        assertThatThrownBy(() -> loader.load(Path.of("k.elf"), file, RAM_BASE))
                .isInstanceOf(ImageException.class)
                .hasMessage("k.elf: 0x4 bytes at 0x80004000 do not fit guest RAM [0x80000000, 0x80004000) "
                        + "(try a larger --mem)");
        assertThat(ram.read32(0x8000_0000L)).isEqualTo(0xeeee_eeee);
    }

    @Test
    void refusesASegmentWhoseBssRunsPastTheEndOfRam() {
        byte[] file = new ElfBuilder().load(0x8000_3f00L, bytes(1), 0x101).build();

        assertThatThrownBy(() -> loader.load(Path.of("k.elf"), file, RAM_BASE))
                .isInstanceOf(ImageException.class)
                .hasMessage("k.elf: 0x101 bytes at 0x80003f00 do not fit guest RAM [0x80000000, 0x80004000) "
                        + "(try a larger --mem)");
        assertThat(ram.read8(0x8000_3f00L)).isZero();
    }

    @Test
    void refusesASegmentBelowRam() {
        byte[] file = new ElfBuilder().load(0x7fff_fff0L, bytes(1, 2, 3, 4), 0x20).build();

        assertThatThrownBy(() -> loader.load(Path.of("k.elf"), file, RAM_BASE))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("k.elf: 0x20 bytes at 0x7ffffff0 do not fit guest RAM");
        assertThat(ram.read64(RAM_BASE)).isZero();
    }

    @Test
    void placesARawImageAtTheGivenAddress() {
        byte[] raw = bytes(0x13, 0x05, 0x10, 0x00, 0x73, 0x00, 0x00, 0x00);

        ImageLoader.LoadedImage image = loader.load(Path.of("k.bin"), raw, 0x8000_0200L);

        assertThat(ram.read64(0x8000_0200L)).isEqualTo(0x0000_0073_0010_0513L);
        assertThat(ram.read8(0x8000_01ffL)).isZero();
        assertThat(image.entry()).isEqualTo(0x8000_0200L);
        assertThat(image.range()).isEqualTo(new AddressRange(0x8000_0200L, 8));
        assertThat(image.elf()).isEmpty();
    }

    @Test
    void aRawImageMayFillRamExactly() {
        byte[] raw = new byte[(int) RAM_SIZE];
        raw[raw.length - 1] = 0x42;

        loader.loadRaw("k.bin", raw, RAM_BASE);

        assertThat(ram.read8(RAM_BASE + RAM_SIZE - 1)).isEqualTo(0x42);
    }

    @Test
    void aLinuxImageOccupiesItsHeadersImageSizeItsBssIncluded() {
        byte[] image = new byte[0x100];
        image[17] = 0x30; // image_size 0x3000
        image[56] = 'R';
        image[57] = 'S';
        image[58] = 'C';
        image[59] = 0x05;

        assertThat(loader.load(Path.of("Image"), image, RAM_BASE).range())
                .isEqualTo(new AddressRange(RAM_BASE, 0x3000));
        assertThat(loader.loadRaw("initrd", image, RAM_BASE).range()).as("an initrd is its bytes")
                .isEqualTo(new AddressRange(RAM_BASE, 0x100));
        image[17] = 0x50; // 0x5000: more than RAM
        assertThatThrownBy(() -> loader.load(Path.of("Image"), image, RAM_BASE))
                .hasMessageStartingWith("Image: 0x5000 bytes at 0x80000000 do not fit guest RAM");
        image[23] = (byte) 0x80; // negative
        assertThatThrownBy(() -> loader.load(Path.of("Image"), image, RAM_BASE))
                .hasMessage("Image: corrupt Linux Image header: image_size 0x8000000000005000");
        image[23] = 0;
        image[56] = 'X'; // no header: the file alone
        assertThat(loader.load(Path.of("k.bin"), image, RAM_BASE).range())
                .isEqualTo(new AddressRange(RAM_BASE, 0x100));
    }

    @Test
    void refusesARawImageTooBigForRam() {
        byte[] raw = new byte[(int) RAM_SIZE + 1];
        raw[0] = 1;

        assertThatThrownBy(() -> loader.load(Path.of("k.bin"), raw, RAM_BASE))
                .isInstanceOf(ImageException.class)
                .hasMessage("k.bin: 0x4001 bytes at 0x80000000 do not fit guest RAM [0x80000000, 0x80004000) "
                        + "(try a larger --mem)");
        assertThat(ram.read8(RAM_BASE)).isZero();
    }

    @Test
    void refusesARawImageThatWouldRunPastTheEndOfRam() {
        assertThatThrownBy(() -> loader.loadRaw("k.bin", new byte[0x200], RAM_BASE + RAM_SIZE - 0x100))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("k.bin: 0x200 bytes at 0x80003f00 do not fit");
    }

    @Test
    void passesElfErrorsThrough() {
        byte[] file = new ElfBuilder().machine(62).load(RAM_BASE, bytes(1)).build();

        assertThatThrownBy(() -> loader.load(Path.of("k.elf"), file, RAM_BASE))
                .isInstanceOf(ImageException.class)
                .hasMessage("k.elf: ELF machine 62 is not RISC-V (243)");
    }

    @Test
    void readsAWholeFile() throws IOException {
        Path file = Files.write(directory.resolve("image.bin"), bytes(1, 2, 3));

        assertThat(ImageLoader.read(file)).containsExactly(1, 2, 3);
    }

    @Test
    void reportsAMissingFile() {
        Path missing = directory.resolve("missing.elf");

        assertThatThrownBy(() -> ImageLoader.read(missing))
                .isInstanceOf(ImageException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void reportsAnEmptyFile() throws IOException {
        Path empty = Files.createFile(directory.resolve("empty.bin"));

        assertThatThrownBy(() -> ImageLoader.read(empty))
                .isInstanceOf(ImageException.class)
                .hasMessage(empty + ": file is empty");
    }

    @Test
    void reportsADirectoryAsUnreadable() {
        assertThatThrownBy(() -> ImageLoader.read(directory))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith(directory + ": cannot read: ");
    }
}
