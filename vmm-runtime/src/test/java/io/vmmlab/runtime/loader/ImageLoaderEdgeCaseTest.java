package io.vmmlab.runtime.loader;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

final class ImageLoaderEdgeCaseTest {

    @Test
    void aSegmentEndingAtTheEndOfRamLoadsIntoAnyGuestMemory() {
        FlatRam memory = new FlatRam(0x8000_0000L, 0x1000);
        byte[] file = new ElfBuilder().load(0x8000_0ffcL, ElfBuilder.bytes(1, 2, 3, 4)).build();

        // ImageLoader writes a zero-length "bss" at 0x80001000, which a strict GuestMemory refuses
        new ImageLoader(memory).load(Path.of("k.elf"), file, 0x8000_0000L);

        assertThat(memory.read32(0x8000_0ffcL)).isEqualTo(0x0403_0201);
    }

    @Test
    void aLargeBssIsZeroedWithoutAnArrayAsLargeAsIt() {
        // A segment's bss was zeroed from a new byte[] of its size: a kernel with 1.5 GiB of bss on a 2047 MiB board
        // needed 1.5 GiB of heap besides the RAM, and a JVM without it ended the run as an internal error (exit 3).
        GuestMemory memory = mock(GuestMemory.class);
        when(memory.range()).thenReturn(new AddressRange(0x8000_0000L, 128L << 20));
        List<long[]> writes = new ArrayList<>();
        doAnswer(call -> {
            byte[] source = call.getArgument(1);
            int offset = call.getArgument(2);
            int length = call.getArgument(3);
            boolean zeros = Arrays.equals(source, offset, offset + length, new byte[length], 0, length);
            writes.add(new long[] {call.getArgument(0), length, zeros ? 1 : 0});
            return null;
        }).when(memory).write(anyLong(), any(byte[].class), anyInt(), anyInt());
        byte[] file = new ElfBuilder().load(0x8000_0000L, ElfBuilder.bytes(1, 2, 3, 4), 64L << 20).build();

        new ImageLoader(memory).load(Path.of("k.elf"), file, 0x8000_0000L);

        assertThat(writes.get(0)).containsExactly(0x8000_0000L, 4, 0);
        long next = 0x8000_0004L;
        for (long[] write : writes.subList(1, writes.size())) {
            assertThat(write[0]).isEqualTo(next);
            assertThat(write[1]).isLessThanOrEqualTo(1 << 20);
            assertThat(write[2]).as("zeros").isEqualTo(1);
            next += write[1];
        }
        assertThat(next).isEqualTo(0x8000_0000L + (64L << 20));
    }
}
