package io.vmmlab.cpu.mmu;

import java.util.Arrays;

/**
 * The U- and S-mode TLBs of the last few address spaces, so that a satp or vsatp write back to a recent one keeps
 * its cached translations, as a TLB tagged with ASIDs does. An address space is a whole satp value (mode, ASID and
 * root) whose ASID is not 0, or a whole vsatp value of the same kind for the guest's VS/VU-mode (V=1): a write of
 * such a value selects its pair of TLBs, or takes over the least recently used pair (emptied). The pairs form one
 * pool for both; the pair each V uses now is never taken by the other, so each keeps up to {@link #SPACES} spaces.
 *
 * <p>ASID 0 tags nothing: its writes empty every TLB, as before ASIDs were honoured, which is what a host that
 * reloads satp to flush (paravirt's VMM, with ASID 0 for every root) relies on. There are no VMIDs: an hgatp write
 * empties every TLB, so the guest spaces kept are those of the guest the hart runs now. What the architecture asks
 * of software stays the software's: after changing a page table it must fence (SFENCE.VMA, HFENCE, which reach
 * every space here), and reusing an ASID for another root also needs one (the root is part of the key here, so
 * this is stricter than needed).
 */
final class AddressSpaceTlbs {
    /** Pairs of TLBs in the pool. */
    static final int PAIRS = 6;
    /** Address spaces kept per V: the pool less the pair the other V uses. */
    static final int SPACES = PAIRS - 1;
    // Marks a key as vsatp's: satp and vsatp keep only MODE 0, 8, 9 and 10, whose bit 62 is clear.
    private static final long GUEST = 1L << 62;
    // No kept value has every bit set (MODE 15 is refused).
    private static final long NONE = -1;

    private final Tlb[] user;
    private final Tlb[] supervisor;
    private final long[] keys = new long[PAIRS];
    private final long[] lastUse = new long[PAIRS];
    private long clock;
    // The pair each V uses now: [0] for V=0, [1] for V=1.
    private final int[] current = {0, 1};

    /**
     * Creates the pool over its TLBs; the first pair serves satp 0 and the second vsatp 0 (reset).
     *
     * @param user each pair's U-mode (or VU-mode) TLB
     * @param supervisor each pair's S-mode (or VS-mode) TLB
     */
    AddressSpaceTlbs(Tlb[] user, Tlb[] supervisor) {
        if (user.length != PAIRS || supervisor.length != PAIRS) {
            throw new IllegalArgumentException("need " + PAIRS + " pairs of TLBs");
        }
        this.user = user;
        this.supervisor = supervisor;
        Arrays.fill(keys, NONE);
        keys[0] = key(false, 0);
        keys[1] = key(true, 0);
    }

    private static long key(boolean virtual, long atp) {
        return virtual ? atp | GUEST : atp;
    }

    /**
     * satp (V=0) or vsatp (V=1) was written: selects the TLBs of its address space.
     *
     * @param virtual true for vsatp
     * @param atp the new value
     * @return false when the caller must empty every TLB (ASID 0), true when the selected pair holds only entries
     *         made under this value
     */
    boolean select(boolean virtual, long atp) {
        int v = virtual ? 1 : 0;
        long key = key(virtual, atp);
        if (asid(atp) == 0) {
            keys[current[v]] = key;
            return false;
        }
        int chosen = -1;
        for (int i = 0; i < PAIRS && chosen < 0; i++) {
            if (keys[i] == key) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            int other = current[1 - v];
            for (int i = 0; i < PAIRS; i++) {
                if (i != other && (chosen < 0 || lastUse[i] < lastUse[chosen])) {
                    chosen = i;
                }
            }
            user[chosen].flush();
            supervisor[chosen].flush();
            keys[chosen] = key;
        }
        current[v] = chosen;
        lastUse[chosen] = ++clock;
        return true;
    }

    /**
     * An SFENCE.VMA for one ASID (rs2 != x0): drops the entries of non-global mappings from the TLBs of every kept
     * space of that V with that ASID ({@link Tlb#flushNonGlobal}), or, for a fence with an address, that page's
     * entries, global or not ({@link Tlb#fencePage}). Other spaces keep theirs: such a fence orders neither other
     * address spaces nor global mappings, and each space keeps copies of global mappings of its own.
     *
     * @param virtual the V bit of the fence (V=1: the guest's spaces)
     * @param asid the ASID (its low 16 bits count)
     * @param va the fenced virtual address, or -1 for every address (a fence of the address -1 itself is then taken
     *           for one of every address: the space's non-global entries go, that page's among them, which is more
     *           than it asks; its global ones need not go)
     */
    void fence(boolean virtual, long asid, long va) {
        for (int i = 0; i < PAIRS; i++) {
            long key = keys[i];
            if (key != NONE && ((key & GUEST) != 0) == virtual && asid(key) == (asid & 0xffff)) {
                if (va == -1) {
                    user[i].flushNonGlobal();
                    supervisor[i].flushNonGlobal();
                } else {
                    user[i].fencePage(va);
                    supervisor[i].fencePage(va);
                }
            }
        }
    }

    // The ASID field of a satp or vsatp value (or key).
    private static long asid(long atp) {
        return (atp >>> 44) & 0xffff;
    }

    /**
     * Every TLB was emptied: the current pairs now serve the current satp and vsatp (after a reset, 0).
     *
     * @param satp satp now
     * @param vsatp vsatp now
     */
    void emptied(long satp, long vsatp) {
        keys[current[0]] = key(false, satp);
        keys[current[1]] = key(true, vsatp);
    }

    /**
     * @param virtual the V bit of the access
     * @return the current address space's U-mode (V=0) or VU-mode (V=1) TLB
     */
    Tlb user(boolean virtual) {
        return user[current[virtual ? 1 : 0]];
    }

    /**
     * @param virtual the V bit of the access
     * @return the current address space's S-mode (V=0) or VS-mode (V=1) TLB
     */
    Tlb supervisor(boolean virtual) {
        return supervisor[current[virtual ? 1 : 0]];
    }
}
