package io.vmmlab.api.cpu;

/**
 * What a load writes into its destination register, for a host that emulates the load (a VMM's device access):
 * an integer load's value extended to 64 bits, a single-precision FP load's word NaN-boxed (unprivileged volume,
 * "NaN Boxing of Narrower Values").
 */
public final class LoadValues {
    private static final long NAN_BOX = 0xffff_ffff_0000_0000L;

    private LoadValues() {
    }

    /**
     * Extends an integer load's value as the instruction says.
     *
     * @param value the bytes read, in the low {@code size} bytes (bits above them, which a device should leave zero,
     *              are ignored, as the hart ignores them when it performs the load itself)
     * @param size 1, 2, 4 or 8
     * @param signed true for LB, LH, LW (sign-extend), false for LBU, LHU, LWU (zero-extend)
     * @return the register's value
     */
    public static long integer(long value, int size, boolean signed) {
        if (size >= 8) {
            return value;
        }
        int shift = 64 - 8 * size;
        return signed ? value << shift >> shift : value << shift >>> shift;
    }

    /**
     * An FP load's register value: FLD's doubleword as it is, FLW's word NaN-boxed.
     *
     * @param value the bytes read, in the low {@code size} bytes
     * @param size 4 (FLW) or 8 (FLD)
     * @return the f register's 64 bits
     */
    public static long floating(long value, int size) {
        return size == 4 ? NAN_BOX | (value & 0xffff_ffffL) : value;
    }
}
