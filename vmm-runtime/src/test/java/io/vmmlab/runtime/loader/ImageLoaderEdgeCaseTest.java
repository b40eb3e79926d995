package io.vmmlab.runtime.loader;

import io.vmmlab.api.memory.FlatRam;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class ImageLoaderEdgeCaseTest {

    @Test
    void aSegmentEndingAtTheEndOfRamLoadsIntoAnyGuestMemory() {
        FlatRam memory = new FlatRam(0x8000_0000L, 0x1000);
        byte[] file = new ElfBuilder().load(0x8000_0ffcL, ElfBuilder.bytes(1, 2, 3, 4)).build();

        // ImageLoader writes a zero-length "bss" at 0x80001000, which a strict GuestMemory refuses
        new ImageLoader(memory).load(Path.of("k.elf"), file, 0x8000_0000L);

        assertThat(memory.read32(0x8000_0ffcL)).isEqualTo(0x0403_0201);
    }
}
