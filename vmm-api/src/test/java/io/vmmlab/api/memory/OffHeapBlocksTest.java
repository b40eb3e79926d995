package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class OffHeapBlocksTest {
    @Test
    void aBlockIsTakenOnlyAtItsOwnLengthAndOnceNewestFirst() {
        OffHeapBlocks blocks = new OffHeapBlocks();

        assertThat(blocks.keep(0x1000, 4096 + 8)).isEmpty();
        assertThat(blocks.keep(0x9000, 8192 + 8)).isEmpty();
        assertThat(blocks.keep(0x5000, 4096 + 8)).isEmpty();

        assertThat(blocks.take(4096)).isZero();
        assertThat(blocks.take(8192 + 8)).isEqualTo(0x9000);
        assertThat(blocks.take(8192 + 8)).isZero();
        assertThat(blocks.take(4096 + 8)).isEqualTo(0x5000);
        assertThat(blocks.take(4096 + 8)).isEqualTo(0x1000);
    }

    /** New lengths keep being served after many: the oldest blocks make room, and their owner frees them. */
    @Test
    void theOldestBlocksMakeRoom() {
        OffHeapBlocks blocks = new OffHeapBlocks();
        for (int i = 0; i < OffHeapBlocks.MAX_BLOCKS; i++) {
            assertThat(blocks.keep(0x1000L * (i + 1), 4096L * (i + 1))).isEmpty();
        }

        assertThat(blocks.keep(0x100_0000, 1 << 20)).containsExactly(new OffHeapBlocks.Block(0x1000, 4096));
        assertThat(blocks.keep(0x200_0000, OffHeapBlocks.MAX_BYTES - (1 << 20)))
                .as("the bytes kept stay within the limit").hasSize(OffHeapBlocks.MAX_BLOCKS - 1);
        assertThat(blocks.take(1 << 20)).isEqualTo(0x100_0000);
        assertThat(blocks.take(OffHeapBlocks.MAX_BYTES - (1 << 20))).isEqualTo(0x200_0000);
        assertThat(blocks.keep(0x300_0000, OffHeapBlocks.MAX_BYTES + 8))
                .as("too large to keep at all").containsExactly(new OffHeapBlocks.Block(0x300_0000,
                        OffHeapBlocks.MAX_BYTES + 8));
    }
}
