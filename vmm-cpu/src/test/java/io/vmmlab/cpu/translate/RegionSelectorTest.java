package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Choosing a region's blocks ({@link RegionSelector}). */
class RegionSelectorTest {
    private final DecodedPage page = new DecodedPage(0x8000_0000L);
    // A loop: a branch at the head goes to its second half (byte 12) or falls through to its first (byte 8); both
    // jump back to the head.
    private final Block head = stored(0, addi(A0, A0, 1), beq(A0, A1, 8));
    private final Block first = stored(4, jal(ZERO, -8));
    private final Block second = stored(6, addi(A2, A2, 1), jal(ZERO, -16));

    private Block stored(int startSlot, int... words) {
        return stored(page, startSlot, words);
    }

    private static Block stored(DecodedPage on, int startSlot, int... words) {
        Block block = Blocks.ofWords(startSlot, words);
        block.heat = 2000;
        on.store(block);
        return block;
    }

    @Test
    void aRegionTakesTheBlocksItsEntryLeadsTo() {
        assertThat(RegionSelector.select(head, RegionSelector.MAX_MEMBERS)).containsExactlyInAnyOrder(head, first,
                second);
    }

    /** A block that is the entry of a region on its way (or attached) ends the region rather than joining it. */
    @Test
    void theEntryOfAnotherRegionEndsTheRegion() {
        second.regionRequested = true; // its own region is being built

        assertThat(RegionSelector.select(head, RegionSelector.MAX_MEMBERS)).containsExactly(head, first);
    }

    /**
     * A block whose region is gone (evicted, or dropped with its page's code) joins regions again, though its heat
     * still says it is not to be counted.
     */
    @Test
    void aBlockWhoseRegionIsGoneJoinsAgain() {
        second.heat = Integer.MAX_VALUE - 3;
        second.regionRequested = false;
        second.code = null;

        assertThat(RegionSelector.select(head, RegionSelector.MAX_MEMBERS)).contains(second);
    }

    /**
     * Hottest means most executions, whatever a block's length: a long block counts fewer executions towards the
     * threshold ({@link BlockTranslator#executions}), and one that ran once must not outrank a short one that ran
     * 2,500 times (with the threshold's units, the cold one counted 2,934 here and took the room the hot one needed).
     */
    @Test
    void aHotShortBlockOutranksAColdLongOne() {
        DecodedPage code = new DecodedPage(0x8000_0000L);
        Block entry = stored(code, 0, addi(A0, A0, 1), beq(A0, A1, 244)); // taken: byte 248
        int[] coldWords = new int[60];
        Arrays.fill(coldWords, addi(A2, A2, 1));
        coldWords[59] = jal(ZERO, -244);
        Block cold = stored(code, 4, coldWords); // bytes 8..247, the fall-through
        int[] hotWords = new int[16];
        Arrays.fill(hotWords, addi(A3, A3, 1));
        hotWords[15] = jal(ZERO, -308);
        Block hot = stored(code, 124, hotWords); // bytes 248..311, the branch target
        cold.heatTarget = 4000;
        cold.heat = BlockTranslator.executions(cold, 4000) - 1; // armed with the base, run once
        hot.heatTarget = 4000;
        hot.heat = BlockTranslator.executions(hot, 4000) - 2500;

        Block[] members = RegionSelector.select(entry, RegionSelector.MAX_MEMBERS);

        assertThat(members).as("2 + 60 + 16 instructions exceed a region's 64").containsExactly(entry, hot);
    }

    /** The entry itself may be the target of its members' jumps (a loop): it stays the region's first block. */
    @Test
    void aLoopBackToTheEntryStaysInside() {
        head.heat = Integer.MAX_VALUE; // as translate() marks the block it builds a region for
        head.regionRequested = true;

        Block[] members = RegionSelector.select(head, RegionSelector.MAX_MEMBERS);

        assertThat(members[0]).isSameAs(head);
        assertThat(members).containsExactlyInAnyOrder(head, first, second);
    }

    /**
     * The hottest successor is the one with the most executions counted, whatever threshold each block counts
     * towards (the translator raises it for blocks whose heat ran out while translated code carried little of the
     * run): here the second half, counted 300 times, though the first, counted 60 times, has less heat left.
     */
    @Test
    void theSuccessorWithMoreExecutionsCountedComesFirst() {
        first.heatTarget = 100;
        first.heat = 40;
        second.heatTarget = 400;
        second.heat = 100;

        assertThat(RegionSelector.select(head, 2)).containsExactly(head, second);
    }

    /** A block of straight-line code: the most instructions a block holds, ending without a branch. */
    private static Block straight(DecodedPage on, int startSlot) {
        int[] words = new int[Block.MAX_INSTRUCTIONS];
        Arrays.fill(words, addi(A0, A0, 1));
        return stored(on, startSlot, words);
    }

    /**
     * Straight-line code (blocks that end only because a block holds at most 64 instructions) makes regions of up to
     * MAX_STRAIGHT_INSTRUCTIONS: a hash function's rounds written out are some 2,000 instructions without a branch.
     */
    @Test
    void straightLineCodeMakesLongerRegions() {
        DecodedPage code = new DecodedPage(0x8000_1000L);
        Block[] blocks = new Block[6];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = straight(code, i * 2 * Block.MAX_INSTRUCTIONS);
        }
        assertThat(blocks[0].insns[Block.MAX_INSTRUCTIONS].fall()).as("linked").isSameAs(blocks[1]);

        Block[] members = RegionSelector.select(blocks[0], RegionSelector.MAX_MEMBERS);

        assertThat(members).containsExactly(blocks[0], blocks[1], blocks[2], blocks[3]);
        assertThat(4 * Block.MAX_INSTRUCTIONS).isEqualTo(RegionSelector.MAX_STRAIGHT_INSTRUCTIONS);
    }

    /** A block a branch leads to (taken or not) joins only within MAX_INSTRUCTIONS, straight-line code or not. */
    @Test
    void aBranchsSuccessorsJoinWithinTheShorterBound() {
        DecodedPage code = new DecodedPage(0x8000_2000L);
        int[] words = new int[40];
        Arrays.fill(words, addi(A0, A0, 1));
        words[39] = beq(A0, A1, 8); // falls through to slot 80, or goes to slot 82
        Block branching = stored(code, 0, words);
        Block fallThrough = straight(code, 80);

        assertThat(branching.insns[39].fall()).isSameAs(fallThrough);
        assertThat(RegionSelector.select(branching, RegionSelector.MAX_MEMBERS)).containsExactly(branching);
    }
}
