package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Chooses the blocks of a region: the hot entry block, then, hottest first, the decoded blocks of the same page that
 * the members' branches and fall-throughs lead to (the interpreter's successor links), so that loops inside a page
 * become loops inside one JVM method. "Hottest" means most executions counted (the executions {@link Block#heatTarget}
 * stands for, minus the remaining {@link Block#heat}, which counts down as the interpreter enters the block), so the
 * blocks of the loop that made the entry hot come before the code around it (a breadth-first walk would fill the
 * region with a loop's exit paths and leave part of the loop outside, where every iteration leaves the region and
 * enters another).
 * Bounded so that the generated method stays well below HotSpot's limit for compiling a method (8000 bytes of
 * bytecode).
 *
 * <p>A block that is the entry of another region, attached or on its way ({@link #entersOwnRegion}), ends the
 * region instead of joining it: control that leaves for it goes on in that block's own region. Taking such blocks
 * in as well copied the same code into many regions, each compiled by both of HotSpot's compilers: bench.elf's
 * quicksort, a function of about 25 blocks (100 instructions), made 22 regions of 133 blocks and 557 instructions
 * in all, some blocks in ten of them; without the copies 19 regions of 81 blocks and 310 instructions, and
 * bench.elf ran in 2.30 instead of 2.44 s (interleaved runs; the 4x-longer kernels in steady state no slower).
 */
final class RegionSelector {
    /** Most blocks in a region (member numbers must fit the exit code's upper bits). */
    static final int MAX_MEMBERS = 8;
    /** Most instructions in a region, but for straight-line code ({@link #MAX_STRAIGHT_INSTRUCTIONS}). */
    static final int MAX_INSTRUCTIONS = 64;
    /**
     * Most instructions in a region that goes on through straight-line code: a block that ends only because blocks
     * hold at most {@link Block#MAX_INSTRUCTIONS} (no branch) may be followed by the block after it up to this many.
     * A hash function's rounds written out are some 2,000 instructions without a branch, which regions of one block
     * each ran as a chain of 30-40 regions, each run loading and storing the registers it uses.
     */
    static final int MAX_STRAIGHT_INSTRUCTIONS = 256;

    private RegionSelector() {
    }

    /**
     * Selects a region.
     *
     * @param entry the entry block
     * @param maxMembers the most blocks to take (at least 1)
     * @return the members, the entry block first
     */
    static Block[] select(Block entry, int maxMembers) {
        List<Block> members = new ArrayList<>();
        members.add(entry);
        int instructions = entry.length;
        // Candidates by executions counted, most first, then by discovery order (stable for equal counts).
        PriorityQueue<Candidate> candidates = new PriorityQueue<>();
        int discovered = 0;
        Block current = entry;
        while (true) {
            Insn last = current.insns[current.insns.length - 1];
            for (Block next : new Block[] {last.taken(), last.fall()}) {
                if (next != null && !members.contains(next) && !entersOwnRegion(next)) {
                    candidates.add(new Candidate(next, discovered++));
                }
            }
            current = null;
            while (!candidates.isEmpty() && current == null) {
                Block next = candidates.poll().block();
                if (!members.contains(next) && instructions + next.length <= limit(members, next)) {
                    current = next;
                }
            }
            if (current == null || members.size() >= maxMembers) {
                return members.toArray(new Block[0]);
            }
            members.add(current);
            instructions += current.length;
        }
    }

    /**
     * The most instructions a region may have with a block added: {@link #MAX_STRAIGHT_INSTRUCTIONS} when the block
     * continues straight-line code (the fall-through of a member that ends without a branch), else
     * {@link #MAX_INSTRUCTIONS}.
     */
    private static int limit(List<Block> members, Block next) {
        for (Block member : members) {
            Insn last = member.insns[member.insns.length - 1];
            if (last.op == Opcodes.END && last.fall() == next) {
                return MAX_STRAIGHT_INSTRUCTIONS;
            }
        }
        return MAX_INSTRUCTIONS;
    }

    /**
     * Tells whether a block is the entry of a region of its own: attached ({@link Block#code}), or requested and
     * not yet attached ({@link Block#regionRequested}).
     */
    static boolean entersOwnRegion(Block block) {
        return block.code != null || block.regionRequested;
    }

    private static long counted(Block block) {
        // heat counts down executions; heatTarget is in threshold units, which a block longer than
        // BlockTranslator.LENGTH_UNIT instructions reaches in fewer executions (BlockTranslator.executions).
        return (long) BlockTranslator.executions(block, block.heatTarget) - block.heat;
    }

    private record Candidate(Block block, int order) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate other) {
            int byHeat = Long.compare(counted(other.block), counted(block));
            return byHeat != 0 ? byHeat : Integer.compare(order, other.order);
        }
    }
}
