package io.vmmlab.cpu.mmu;

import java.util.Arrays;

/**
 * The U- and S-mode TLBs (V=0) of the last few address spaces, so that a satp write back to a recent one keeps its
 * cached translations, as a TLB tagged with ASIDs does. An address space is a whole satp value (mode, ASID and root)
 * whose ASID is not 0: a write of such a value selects its TLBs, or takes over those of the least recently used space
 * (emptied). ASID 0 tags nothing: its writes empty every TLB, as before ASIDs were honoured, which is what a host that
 * reloads satp to flush (paravirt's VMM, with ASID 0 for every root) relies on. What the architecture asks of software
 * stays the software's: after changing a page table it must SFENCE.VMA (which reaches every space here), and reusing
 * an ASID for another root also needs one (the root is part of the key here, so this is stricter than needed).
 */
final class AddressSpaceTlbs {
    /** Address spaces kept. */
    static final int SPACES = 5;

    private final Tlb[] user;
    private final Tlb[] supervisor;
    private final long[] satps = new long[SPACES];
    private final long[] lastUse = new long[SPACES];
    private long clock;
    private int current;

    /**
     * Creates the spaces over their TLBs; the first pair serves satp 0 (reset).
     *
     * @param user each space's U-mode TLB
     * @param supervisor each space's S-mode TLB
     */
    AddressSpaceTlbs(Tlb[] user, Tlb[] supervisor) {
        if (user.length != SPACES || supervisor.length != SPACES) {
            throw new IllegalArgumentException("need " + SPACES + " pairs of TLBs");
        }
        this.user = user;
        this.supervisor = supervisor;
        Arrays.fill(satps, -1); // no satp value has every bit set (MODE 15 is refused)
        satps[0] = 0;
    }

    /**
     * satp was written: selects the TLBs of its address space.
     *
     * @param satp the new value
     * @return false when the caller must empty every TLB (ASID 0), true when the selected pair holds only entries
     *         made under this satp value
     */
    boolean select(long satp) {
        if (((satp >>> 44) & 0xffff) == 0) {
            satps[current] = satp;
            return false;
        }
        int chosen = -1;
        for (int i = 0; i < SPACES && chosen < 0; i++) {
            if (satps[i] == satp) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            chosen = 0;
            for (int i = 1; i < SPACES; i++) {
                if (lastUse[i] < lastUse[chosen]) {
                    chosen = i;
                }
            }
            user[chosen].flush();
            supervisor[chosen].flush();
            satps[chosen] = satp;
        }
        current = chosen;
        lastUse[chosen] = ++clock;
        return true;
    }

    /**
     * Every TLB was emptied: the current pair now serves the current satp (after a reset, 0).
     *
     * @param satp satp now
     */
    void emptied(long satp) {
        satps[current] = satp;
    }

    /** @return the current address space's U-mode TLB */
    Tlb user() {
        return user[current];
    }

    /** @return the current address space's S-mode TLB */
    Tlb supervisor() {
        return supervisor[current];
    }
}
