package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.PrivilegeMode;

/**
 * The architectural core of a hart: integer registers, pc, privilege level, the H extension's V bit and the
 * count of retired instructions. CSRs live in {@link io.vmmlab.cpu.csr.CsrFile}.
 *
 * <p>The register array has 33 entries: index 32 absorbs writes to x0 (see
 * {@link io.vmmlab.cpu.decode.Opcodes#SINK}), so x0 always reads zero. The fields are public to the CPU module's
 * packages for speed; this class is not part of any API.
 */
public final class HartState {
    /** Privilege encodings (Privileged spec, table "RISC-V privilege levels"). */
    public static final int USER = 0;
    public static final int SUPERVISOR = 1;
    public static final int MACHINE = 3;

    /** x0..x31 plus the x0 sink. */
    public final long[] x = new long[33];
    /**
     * f0..f31 of the F and D extensions (FLEN = 64; a single-precision value is NaN-boxed: upper 32 bits all ones).
     * Present, and zero, on harts without them.
     */
    public final long[] f = new long[32];
    /** The pc of the instruction being executed (or the next one, between instructions). */
    public long pc;
    /** Current privilege encoding: {@link #USER}, {@link #SUPERVISOR} or {@link #MACHINE}. */
    public int mode = MACHINE;
    /** The H extension's virtualization mode. */
    public boolean virtual;
    /** Instructions retired since reset. */
    public long instret;

    /** Returns the privilege level as the API enum. */
    public PrivilegeMode privilege() {
        return PrivilegeMode.fromEncoding(mode);
    }

    /**
     * Resets registers (x and f), privilege and pc.
     *
     * @param resetPc the new pc
     */
    public void reset(long resetPc) {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        pc = resetPc;
        mode = MACHINE;
        virtual = false;
    }
}
