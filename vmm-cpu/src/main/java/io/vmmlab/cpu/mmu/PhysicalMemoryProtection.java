package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.csr.PmpCsrs;
import io.vmmlab.cpu.rv64.HartState;

/**
 * Enforces the PMP entries (Privileged spec, "Physical Memory Protection", "Priority and Matching Logic"): the
 * lowest-numbered active entry that matches any byte of an access decides it, and it must match every byte; R, W and
 * X apply to S- and U-mode accesses (V=0 or 1) and, when the entry is locked, to M-mode ones; an access no entry
 * matches succeeds in M-mode and fails in S- and U-mode.
 *
 * <p>One deviation, for harts whose firmware and VMM are the host: with no entry active at all (every A field OFF,
 * the reset state) every access succeeds. The spec fails S- and U-mode accesses then (QEMU 7.2 even refuses the MRET
 * into S-mode), but VMMLab's built-in SBI firmware and its VMMs run in Java and program no PMP entries for the kernels
 * they run; firmware that programs PMP (OpenSBI, riscv-tests) gets the architecture's checks.
 *
 * <p>Code runs on inside a page the fetch TLB holds only when the page is executable throughout
 * ({@link #executableThroughout}); in a page PMP makes executable in part, each instruction's fetch is checked alone
 * ({@link #allows}), so the executable words run and the first one without X faults, as the spec says.
 *
 * <p>The MMU checks PMP when it fills a TLB entry, for the whole 4 KiB page ({@link #pagePermissions}); for loads and
 * stores, a page that entries decide in parts is not cached and every access to it is checked alone
 * ({@link #allows}). The rules are compiled from the registers on every PMP write ({@link #load}).
 */
public final class PhysicalMemoryProtection {
    /** {@link #pagePermissions}: the page's bytes are not all decided by the same entry. */
    public static final int NON_UNIFORM = -1;
    /** Permission bits, as in pmpcfg. */
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXECUTE = 4;
    private static final int ALL = READ | WRITE | EXECUTE;
    private static final long PAGE = 4096;
    private static final int NO_MATCH = -1;
    private static final int PARTLY = -2;

    // The active entries (A != OFF that match at least one address), in priority order: [low, high) in bytes.
    private final long[] lows = new long[PmpCsrs.ENTRIES];
    private final long[] highs = new long[PmpCsrs.ENTRIES];
    private final int[] permissions = new int[PmpCsrs.ENTRIES];
    private final boolean[] locked = new boolean[PmpCsrs.ENTRIES];
    private int count;
    // Any entry with A != OFF, even one that matches nothing: only with none does every access pass.
    private boolean anyActive;
    private boolean anyLocked;
    // An active entry with a bound at 4 mod 8, which an aligned doubleword can straddle: the partial match fails
    // even an M-mode access under an unlocked entry.
    private boolean oddBound;

    /**
     * Compiles the rules from the registers.
     *
     * @param registers the PMP CSRs
     */
    public void load(PmpCsrs registers) {
        count = 0;
        anyActive = false;
        anyLocked = false;
        oddBound = false;
        for (int i = 0; i < PmpCsrs.ENTRIES; i++) {
            int configuration = registers.configuration(i);
            int mode = PmpCsrs.matching(configuration);
            if (mode == PmpCsrs.OFF) {
                continue;
            }
            anyActive = true;
            long address = registers.address(i);
            long low;
            long high;
            if (mode == PmpCsrs.TOR) {
                low = i == 0 ? 0 : registers.address(i - 1) << 2;
                high = address << 2;
            } else if (mode == PmpCsrs.NA4) {
                low = address << 2;
                high = low + 4;
            } else {
                int ones = Long.numberOfTrailingZeros(~address); // the size is 2^(ones + 3) bytes
                low = (address & ~((1L << (ones + 1)) - 1)) << 2;
                high = ones + 3 >= 62 ? 1L << 62 : low + (1L << (ones + 3));
            }
            if (low >= high) {
                continue; // a TOR entry whose bottom is not below its top matches nothing
            }
            lows[count] = low;
            highs[count] = high;
            permissions[count] = configuration & ALL;
            locked[count] = (configuration & PmpCsrs.LOCK) != 0;
            anyLocked |= locked[count];
            oddBound |= ((low | high) & 4) != 0;
            count++;
        }
    }

    /**
     * Tells whether M-mode accesses are checked at all: when some active entry is locked, or has a bound that an
     * aligned doubleword can straddle (a partial match fails whatever the entry's L bit). When not, M-mode may access
     * any address and its loads and stores may skip the MMU.
     *
     * @return true when M-mode accesses must be checked
     */
    public boolean checksMachineMode() {
        return anyLocked || oddBound;
    }

    private boolean passesAll(int mode) {
        return !anyActive || (mode == HartState.MACHINE && !checksMachineMode());
    }

    /**
     * Returns what an access of a privilege may do anywhere in a 4 KiB page.
     *
     * @param page the page's physical base
     * @param mode the effective privilege of the access ({@link HartState#MACHINE}, SUPERVISOR or USER)
     * @return {@link #READ}, {@link #WRITE} and {@link #EXECUTE} bits, or {@link #NON_UNIFORM} when entries decide
     *         parts of the page differently (check each access with {@link #allows})
     */
    public int pagePermissions(long page, int mode) {
        if (passesAll(mode)) {
            return ALL;
        }
        int entry = decidingEntry(page, page + PAGE);
        if (entry == PARTLY) {
            return NON_UNIFORM;
        }
        return entry == NO_MATCH ? (mode == HartState.MACHINE ? ALL : 0) : granted(entry, mode);
    }

    /**
     * Tells whether one access may go ahead (a misaligned one byte by byte).
     *
     * @param address its first byte's physical address
     * @param size its size in bytes
     * @param mode its effective privilege
     * @param access {@link AccessType#LOAD}, STORE or FETCH
     * @return false for an access fault
     */
    public boolean allows(long address, int size, int mode, int access) {
        if (passesAll(mode)) {
            return true;
        }
        if ((address & (size - 1)) != 0) {
            // Misaligned: checked byte by byte, as the spec lets an implementation split it (and as an access across
            // a page is split), so an entry's bound inside it does not fail it.
            for (int i = 0; i < size; i++) {
                if (!allows(address + i, 1, mode, access)) {
                    return false;
                }
            }
            return true;
        }
        int entry = decidingEntry(address, address + size);
        if (entry == PARTLY) {
            return false; // the highest-priority entry that matches a byte must match them all
        }
        return entry == NO_MATCH ? mode == HartState.MACHINE : (granted(entry, mode) & bit(access)) != 0;
    }

    // The highest-priority active entry that matches a byte of [first, end): its index when it matches them all,
    // PARTLY when it does not, NO_MATCH when no entry matches any.
    private int decidingEntry(long first, long end) {
        for (int i = 0; i < count; i++) {
            if (highs[i] > first && lows[i] < end) {
                return lows[i] <= first && highs[i] >= end ? i : PARTLY;
            }
        }
        return NO_MATCH;
    }

    /**
     * Tells whether a privilege may execute anywhere in a 4 KiB page (the grain is 4 bytes, so no entry's bound falls
     * inside a word: checking word by word is exact).
     *
     * @param page the page's physical base
     * @param mode the privilege
     * @return true when every word of the page may be fetched
     */
    public boolean executableThroughout(long page, int mode) {
        int allowed = pagePermissions(page, mode);
        if (allowed != NON_UNIFORM) {
            return (allowed & EXECUTE) != 0;
        }
        for (long word = page; word < page + PAGE; word += 4) {
            if (!allows(word, 4, mode, AccessType.FETCH)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the permission bit an access needs.
     *
     * @param access {@link AccessType} constant
     * @return {@link #READ}, {@link #WRITE} or {@link #EXECUTE}
     */
    public static int bit(int access) {
        return switch (access) {
            case AccessType.LOAD -> READ;
            case AccessType.STORE -> WRITE;
            default -> EXECUTE;
        };
    }

    private int granted(int entry, int mode) {
        return mode == HartState.MACHINE && !locked[entry] ? ALL : permissions[entry];
    }
}
