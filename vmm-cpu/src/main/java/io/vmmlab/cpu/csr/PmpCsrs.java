package io.vmmlab.cpu.csr;

import java.util.Arrays;

/**
 * The PMP configuration and address registers (Privileged spec, "Physical Memory Protection"): 64 entries,
 * WARL storage that firmware (OpenSBI) and Linux accept; the MMU enforces them
 * ({@link io.vmmlab.cpu.mmu.PhysicalMemoryProtection}). The grain is 4 bytes (G=0), so every address bit 53:0 is
 * writable, R=0/W=1 is legalized to R=W=0, and locked entries ignore writes (and a locked TOR entry's bottom, the
 * previous address register, too). On RV64 only the even {@code pmpcfg} registers exist.
 */
public final class PmpCsrs {
    /** Entries. */
    public static final int ENTRIES = 64;
    /** The L bit of an entry's configuration. */
    public static final int LOCK = 0x80;
    /** Values of an entry's A field (configuration bits 4:3). */
    public static final int OFF = 0;
    public static final int TOR = 1;
    public static final int NA4 = 2;
    public static final int NAPOT = 3;
    private static final long ADDRESS_MASK = (1L << 54) - 1;

    private final byte[] configuration = new byte[ENTRIES];
    private final long[] addresses = new long[ENTRIES];

    /**
     * Tells whether a CSR number is a PMP register that exists on RV64.
     *
     * @param csr the CSR number
     * @return true for even pmpcfg and any pmpaddr
     */
    public static boolean isPmp(int csr) {
        return (csr >= CsrAddress.PMPCFG0 && csr <= CsrAddress.PMPCFG15 && (csr & 1) == 0)
                || (csr >= CsrAddress.PMPADDR0 && csr <= CsrAddress.PMPADDR63);
    }

    /**
     * Reads a PMP register.
     *
     * @param csr an address accepted by {@link #isPmp}
     * @return the value
     */
    public long read(int csr) {
        if (csr >= CsrAddress.PMPADDR0) {
            return addresses[csr - CsrAddress.PMPADDR0];
        }
        int first = (csr - CsrAddress.PMPCFG0) * 4;
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (configuration[first + i] & 0xffL) << (8 * i);
        }
        return value;
    }

    /**
     * Writes a PMP register, applying the WARL rules.
     *
     * @param csr an address accepted by {@link #isPmp}
     * @param value the value
     */
    public void write(int csr, long value) {
        if (csr >= CsrAddress.PMPADDR0) {
            int index = csr - CsrAddress.PMPADDR0;
            boolean bottomOfLockedRange = index + 1 < ENTRIES && (configuration[index + 1] & LOCK) != 0
                    && matching(configuration[index + 1]) == TOR;
            if ((configuration[index] & LOCK) == 0 && !bottomOfLockedRange) {
                addresses[index] = value & ADDRESS_MASK;
            }
            return;
        }
        int first = (csr - CsrAddress.PMPCFG0) * 4;
        for (int i = 0; i < 8; i++) {
            if ((configuration[first + i] & LOCK) != 0) {
                continue;
            }
            int entry = (int) (value >>> (8 * i)) & 0x9f;
            if ((entry & 3) == 2) {
                entry &= ~3;
            }
            configuration[first + i] = (byte) entry;
        }
    }

    /**
     * Returns the A field (address matching) of an entry's configuration.
     *
     * @param configuration the entry's configuration byte
     * @return {@link #OFF}, {@link #TOR}, {@link #NA4} or {@link #NAPOT}
     */
    public static int matching(int configuration) {
        return (configuration >>> 3) & 3;
    }

    /**
     * Returns an entry's configuration byte.
     *
     * @param entry 0 to {@link #ENTRIES} - 1
     * @return L, A, X, W and R bits
     */
    public int configuration(int entry) {
        return configuration[entry] & 0xff;
    }

    /**
     * Returns an entry's address register.
     *
     * @param entry 0 to {@link #ENTRIES} - 1
     * @return address bits 55:2
     */
    public long address(int entry) {
        return addresses[entry];
    }

    /** Clears every entry. */
    public void reset() {
        Arrays.fill(configuration, (byte) 0);
        Arrays.fill(addresses, 0);
    }
}
