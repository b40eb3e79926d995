package io.vmmlab.cpu.exec;

import io.vmmlab.cpu.fp.Binary32;

/**
 * How values live in the 64-bit f registers (unprivileged volume, "NaN Boxing of Narrower Values" and the sign
 * injection instructions), for the executor and for translated code, which calls these with values it keeps in
 * locals: a single-precision value is NaN-boxed (upper 32 bits all ones); read as a single, a register whose upper
 * half is not all ones is the canonical NaN.
 */
public final class FloatRegisters {
    private static final long BOX = 0xffff_ffff_0000_0000L;
    private static final int SIGN32 = Integer.MIN_VALUE;
    private static final long SIGN64 = Long.MIN_VALUE;

    private FloatRegisters() {
    }

    /**
     * Reads a register's value as a single.
     *
     * @param register the register's 64 bits
     * @return the single's bits, or the canonical NaN when the value is not NaN-boxed
     */
    public static int unbox(long register) {
        return (register & BOX) == BOX ? (int) register : Binary32.CANONICAL_NAN;
    }

    /**
     * NaN-boxes a single.
     *
     * @param value the single's bits
     * @return the register's 64 bits
     */
    public static long box(int value) {
        return BOX | (value & 0xffff_ffffL);
    }

    /**
     * FSGNJ.D (kind 0), FSGNJN.D (1), FSGNJX.D (2): a's magnitude with a sign from b.
     *
     * @param a first operand
     * @param b second operand
     * @param kind the funct3 field
     * @return the result
     */
    public static long signInjectDouble(long a, long b, int kind) {
        long sign = kind == 0 ? b : kind == 1 ? ~b : a ^ b;
        return (a & ~SIGN64) | (sign & SIGN64);
    }

    /**
     * FSGNJ.S, FSGNJN.S, FSGNJX.S on unboxed singles.
     *
     * @param a first operand
     * @param b second operand
     * @param kind the funct3 field
     * @return the result
     */
    public static int signInjectSingle(int a, int b, int kind) {
        int sign = kind == 0 ? b : kind == 1 ? ~b : a ^ b;
        return (a & ~SIGN32) | (sign & SIGN32);
    }
}
