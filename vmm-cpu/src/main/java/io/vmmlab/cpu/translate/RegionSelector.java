package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.Insn;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Chooses the blocks of a region: the hot entry block, then, hottest first, the decoded blocks of the same page that
 * the members' branches and fall-throughs lead to (the interpreter's successor links), so that loops inside a page
 * become loops inside one JVM method. "Hottest" is the block's remaining {@link Block#heat}: every block starts with
 * the same threshold and counts down as the interpreter enters it, so the blocks of the loop that made the entry hot
 * come before the code around it (a breadth-first walk would fill the region with a loop's exit paths and leave
 * part of the loop outside, where every iteration leaves the region and enters another). Bounded so that the
 * generated method stays well below HotSpot's limit for compiling a method (8000 bytes of bytecode).
 */
final class RegionSelector {
    /** Most blocks in a region (member numbers must fit the exit code's upper bits). */
    static final int MAX_MEMBERS = 8;
    /** Most instructions in a region. */
    static final int MAX_INSTRUCTIONS = 64;

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
        // Candidates by remaining heat, then by discovery order (stable for equal heat).
        PriorityQueue<Candidate> candidates = new PriorityQueue<>();
        int discovered = 0;
        Block current = entry;
        while (true) {
            Insn last = current.insns[current.insns.length - 1];
            for (Block next : new Block[] {last.taken(), last.fall()}) {
                if (next != null && !members.contains(next)) {
                    candidates.add(new Candidate(next, discovered++));
                }
            }
            current = null;
            while (!candidates.isEmpty() && current == null) {
                Block next = candidates.poll().block();
                if (!members.contains(next) && instructions + next.length <= MAX_INSTRUCTIONS) {
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

    private record Candidate(Block block, int order) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate other) {
            int byHeat = Integer.compare(block.heat, other.block.heat);
            return byHeat != 0 ? byHeat : Integer.compare(order, other.order);
        }
    }
}
