package io.vmmlab.api.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

final class BlockClearingTest {
    private static final long PAGE = 4096;
    private static final long DIRTY = 0x0707_0707_0707_0707L;

    private final sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
    private long block;

    @BeforeEach
    void dirtyBlock() {
        block = unsafe.allocateMemory(8 * PAGE);
        unsafe.setMemory(block, 8 * PAGE, (byte) 7);
    }

    @AfterEach
    void freeBlock() {
        unsafe.freeMemory(block);
    }

    /** Whether one thread or several read the block, every page ends zeroed, and nothing past the length. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void withoutASetEveryPageIsClearedAndNothingPastTheLength(int readers) {
        BlockClearing.clearDirtyPages(unsafe, block, 7 * PAGE, readers, null);

        assertThat(dirtyPages()).containsExactly(7);
    }

    /** With a set, only its pages are read and cleared, by one thread or several. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void withASetOnlyItsPagesAreCleared(int readers) {
        BitSet pages = new BitSet();
        pages.set(1);
        pages.set(3);
        pages.set(6);

        BlockClearing.clearDirtyPages(unsafe, block, 7 * PAGE, readers, pages);

        assertThat(dirtyPages()).containsExactly(0, 2, 4, 5, 7);
    }

    /** A page whose only non-zero byte lies in its middle or at its end is cleared too, to the last byte. */
    @Test
    void aPageDirtyOnlyPastItsStartIsCleared() {
        unsafe.setMemory(block, 8 * PAGE, (byte) 0);
        unsafe.putByte(block + PAGE + 2051, (byte) 1);
        unsafe.putByte(block + 3 * PAGE - 1, (byte) 1);

        BlockClearing.clearDirtyPages(unsafe, block, 8 * PAGE, 1, null);

        for (long offset = 0; offset < 8 * PAGE; offset += Long.BYTES) {
            assertThat(unsafe.getLong(block + offset)).as("offset %d", offset).isZero();
        }
    }

    @Test
    void aResidencyThatListsTheFirstPageIsTrusted() {
        new BlockClearing(unsafe, (address, length) -> pages(0, 2)).clear(block, 8 * PAGE);

        assertThat(dirtyPages()).containsExactly(1, 3, 4, 5, 6, 7);
    }

    /** The first page is written before the question, so an answer without it is wrong: every page is read. */
    @Test
    void aResidencyThatMissesTheFirstPageIsNotTrusted() {
        new BlockClearing(unsafe, (address, length) -> pages(2)).clear(block, 8 * PAGE);

        assertThat(dirtyPages()).isEmpty();
    }

    @Test
    void withoutAnAnswerEveryPageIsRead() {
        new BlockClearing(unsafe, (address, length) -> null).clear(block, 8 * PAGE);
        assertThat(dirtyPages()).isEmpty();

        unsafe.setMemory(block, 8 * PAGE, (byte) 7);
        new BlockClearing(unsafe, null).clear(block, 8 * PAGE);
        assertThat(dirtyPages()).isEmpty();
    }

    private static BitSet pages(int... numbers) {
        BitSet pages = new BitSet();
        for (int number : numbers) {
            pages.set(number);
        }
        return pages;
    }

    /** The pages of the block still holding the fill (checked at both ends of each page). */
    private int[] dirtyPages() {
        return IntStream.range(0, 8)
                .filter(page -> unsafe.getLong(block + page * PAGE) == DIRTY
                        || unsafe.getLong(block + (page + 1) * PAGE - 8) == DIRTY)
                .toArray();
    }
}
