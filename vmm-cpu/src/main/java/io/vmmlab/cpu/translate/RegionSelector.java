package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.Insn;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the blocks of a region: the hot entry block, then, breadth first, the decoded blocks of the same page
 * that the members' branches and fall-throughs lead to (the interpreter's successor links), so that loops inside
 * a page become loops inside one JVM method. Bounded so that the generated method stays well below HotSpot's
 * limit for compiling a method (8000 bytes of bytecode).
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
        for (int i = 0; i < members.size(); i++) {
            Insn last = members.get(i).insns[members.get(i).insns.length - 1];
            for (Block next : new Block[] {last.taken(), last.fall()}) {
                if (next != null && members.size() < maxMembers && !members.contains(next)
                        && instructions + next.length <= MAX_INSTRUCTIONS) {
                    members.add(next);
                    instructions += next.length;
                }
            }
        }
        return members.toArray(new Block[0]);
    }
}
