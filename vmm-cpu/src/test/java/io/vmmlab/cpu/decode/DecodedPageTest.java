package io.vmmlab.cpu.decode;

import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.bne;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static org.assertj.core.api.Assertions.assertThat;

/** How a page links its blocks to their successors in the page, whichever is decoded first. */
class DecodedPageTest {
    private static final int A0 = 10;
    private static final int A1 = 11;

    private final DecodedPage page = new DecodedPage(0x8000_0000L);

    /** A block of 4-byte instructions at a byte offset of the page. */
    private static Block block(int offset, int... words) {
        return Blocks.ofWords(offset >> 1, words);
    }

    /** At 0x100: addi; bne to 0x200, else falls through to 0x108. */
    private static Block branching() {
        return block(0x100, addi(A0, A0, 1), bne(A0, A1, 0x100 - 4));
    }

    @Test
    void successorsDecodedFirstAreLinkedAtOnce() {
        Block taken = block(0x200, jal(0, 0));
        Block fall = block(0x108, jal(0, 0));
        page.store(taken);
        page.store(fall);
        Block predecessor = branching();

        page.store(predecessor);

        assertThat(predecessor.last.taken()).isSameAs(taken);
        assertThat(predecessor.last.fall()).isSameAs(fall);
    }

    @Test
    void predecessorsDecodedFirstAreLinkedWhenTheirSuccessorsArrive() {
        Block predecessor = branching();
        Block other = block(0x300, addi(A0, A0, 2), jal(0, 0x200 - 0x304)); // also jumps to 0x200
        page.store(predecessor);
        page.store(other);
        assertThat(predecessor.last.taken()).isNull();

        Block taken = block(0x200, jal(0, 0));
        page.store(taken);
        Block fall = block(0x108, jal(0, 0));
        page.store(fall);

        assertThat(predecessor.last.taken()).isSameAs(taken);
        assertThat(predecessor.last.fall()).isSameAs(fall);
        assertThat(other.last.taken()).isSameAs(taken);
    }

    @Test
    void aReplacedSuccessorIsLinkedInsteadOfTheOldOne() {
        Block predecessor = branching();
        page.store(predecessor);
        page.store(block(0x200, jal(0, 0)));

        Block again = block(0x200, addi(A1, A1, 1), jal(0, 0));
        page.store(again);

        assertThat(predecessor.last.taken()).isSameAs(again);
    }

    @Test
    void anInvalidatedSuccessorIsUnlinkedThenRelinkedWhenDecodedAgain() {
        Block predecessor = branching();
        page.store(predecessor);
        page.store(block(0x200, jal(0, 0)));

        assertThat(page.invalidate(0x200, 4)).isTrue();
        assertThat(predecessor.last.taken()).isNull();
        Block again = block(0x200, jal(0, 0));
        page.store(again);

        assertThat(predecessor.last.taken()).isSameAs(again);
    }

    @Test
    void aDroppedPredecessorIsNotLinkedAndTheOthersStillAre() {
        Block dropped = branching();
        Block kept = block(0x300, addi(A0, A0, 2), jal(0, 0x200 - 0x304));
        page.store(dropped);
        page.store(kept);
        page.invalidate(0x100, 2);
        Block redecoded = branching();
        page.store(redecoded);

        Block taken = block(0x200, jal(0, 0));
        page.store(taken);
        Block fall = block(0x108, jal(0, 0));
        page.store(fall);

        assertThat(dropped.last.taken()).isNull();
        assertThat(dropped.last.fall()).isNull();
        assertThat(redecoded.last.taken()).isSameAs(taken);
        assertThat(redecoded.last.fall()).isSameAs(fall);
        assertThat(kept.last.taken()).isSameAs(taken);
    }

    @Test
    void aClearedPageLinksNothingFromBefore() {
        Block predecessor = branching();
        page.store(predecessor);
        page.clear();

        page.store(block(0x200, jal(0, 0)));

        assertThat(predecessor.last.taken()).isNull();
        assertThat(page.blocks()[0x100 >> 1]).isNull();
    }

    @Test
    void aBlockBranchingToItselfIsItsOwnSuccessor() {
        Block loop = block(0x400, addi(A0, A0, 1), bne(A0, A1, -4));

        page.store(loop);

        assertThat(loop.last.taken()).isSameAs(loop);
    }
}
