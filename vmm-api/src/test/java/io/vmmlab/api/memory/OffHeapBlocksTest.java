package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class OffHeapBlocksTest {
    @Test
    void aBlockIsTakenOnlyAtItsOwnLengthAndOnce() {
        OffHeapBlocks blocks = new OffHeapBlocks();

        assertThat(blocks.keep(0x1000, 4096 + 8)).isTrue();
        assertThat(blocks.keep(0x9000, 8192 + 8)).isTrue();

        assertThat(blocks.take(4096)).isZero();
        assertThat(blocks.take(8192 + 8)).isEqualTo(0x9000);
        assertThat(blocks.take(8192 + 8)).isZero();
        assertThat(blocks.take(4096 + 8)).isEqualTo(0x1000);
    }

    @Test
    void keepsAtMostSoManyBlocksAndBytes() {
        OffHeapBlocks blocks = new OffHeapBlocks();
        for (int i = 0; i < OffHeapBlocks.MAX_BLOCKS; i++) {
            assertThat(blocks.keep(0x1000L * (i + 1), 4096)).isTrue();
        }
        assertThat(blocks.keep(0x100_0000, 4096)).as("one block too many").isFalse();
        blocks.take(4096);
        assertThat(blocks.keep(0x100_0000, OffHeapBlocks.MAX_BYTES)).as("too many bytes").isFalse();
        assertThat(blocks.keep(0x100_0000, OffHeapBlocks.MAX_BYTES - 3 * 4096L)).isTrue();
    }
}
