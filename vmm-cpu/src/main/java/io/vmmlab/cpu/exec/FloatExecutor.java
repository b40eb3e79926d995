package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.cpu.csr.FloatCsrs;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.cpu.decode.CompressedExpander;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.fp.Binary32;
import io.vmmlab.cpu.fp.Binary64;
import io.vmmlab.cpu.fp.FpRounding;
import io.vmmlab.cpu.fp.FpStatus;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TrapException;

import static io.vmmlab.cpu.decode.FloatEncoding.*;

/**
 * The F and D extensions' instructions (unprivileged volume, "F" and "D" Standard Extension chapters; the
 * arithmetic is {@code io.vmmlab.cpu.fp}'s) for the interpreter, one instruction at a time, from the raw bits the
 * decoder checked ({@link io.vmmlab.cpu.decode.Opcodes#FLOAT}): {@link #execute} on its slow path, {@link #tryCompute}
 * and {@link #transfer} in its hot loop. Translated code computes on its own (the translator's {@code FloatEmitter}) and asks this class
 * only for what a region needs on entry and exit ({@link #readiness}, {@link #registers}, {@link #settle}).
 *
 * <p>Before anything else an instruction checks that FS is not Off ({@link FloatCsrs#enabled}) and that its
 * rounding mode is valid (a dynamic one against {@code frm}); else it raises illegal-instruction with its bits (16
 * for a compressed one) as the trap value, changing nothing. Loads and stores go through the MMU as integer ones do
 * (same faults, misaligned accesses emulated). Single-precision operands are NaN-unboxed (a value whose upper 32 bits
 * are not all ones reads as the canonical NaN), except for FSW and FMV.X.W, which move the low 32 bits as they are;
 * single-precision results are NaN-boxed. Writing an f register or raising a flag marks the state Dirty.
 */
public final class FloatExecutor {
    /** {@link #readiness} bit: F/D instructions may run (FS on). */
    public static final int READY = 1;
    /** {@link #readiness} bit: those with a dynamic rounding mode may run too (FS on, frm valid). */
    public static final int READY_DYNAMIC = 2;
    /** Where {@link #readiness} puts frm. */
    public static final int FRM_SHIFT = 2;

    private static final int SIGN32 = Integer.MIN_VALUE;
    private static final long SIGN64 = Long.MIN_VALUE;

    private final long[] f;
    private final FloatCsrs csrs;
    private final Mmu mmu;
    private final TrapException trap;
    private final FpStatus status = new FpStatus();
    private final FpStatus regionStatus = new FpStatus();

    /**
     * Wires the executor.
     *
     * @param state the f registers
     * @param csrs fflags, frm and the FS checks
     * @param mmu loads and stores
     * @param trap the hart's reusable trap
     */
    public FloatExecutor(HartState state, FloatCsrs csrs, Mmu mmu, TrapException trap) {
        this.f = state.f;
        this.csrs = csrs;
        this.mmu = mmu;
        this.trap = trap;
    }

    /**
     * Executes one instruction.
     *
     * @param x the integer registers
     * @param bits the instruction (a compressed one in the low 16 bits)
     * @throws TrapException illegal instruction, or a fault of a load or store
     */
    public void execute(long[] x, int bits) {
        if (!csrs.enabled()) {
            throw illegal(bits);
        }
        int insn = (bits & 3) == 3 ? bits : CompressedExpander.expand(bits & 0xffff);
        int rd = (insn >>> 7) & 0x1f;
        int rs1 = (insn >>> 15) & 0x1f;
        switch (insn & 0x7f) {
            case LOAD_FP -> {
                long address = x[rs1] + (insn >> 20);
                f[rd] = ((insn >>> 12) & 7) == 2 ? FloatRegisters.box((int) mmu.load32(address)) : mmu.load64(address);
                csrs.markDirty();
            }
            case STORE_FP -> {
                long address = x[rs1] + ((insn >> 25) << 5 | rd);
                long value = f[(insn >>> 20) & 0x1f];
                if (((insn >>> 12) & 7) == 2) {
                    mmu.store32(address, (int) value); // the low 32 bits, boxed or not
                } else {
                    mmu.store64(address, value);
                }
            }
            default -> compute(x, insn, bits);
        }
    }

    /** An OP-FP instruction or a fused multiply-add (32 bits), FS on. */
    private void compute(long[] x, int insn, int bits) {
        int rd = (insn >>> 7) & 0x1f;
        int rs1 = (insn >>> 15) & 0x1f;
        status.flags = 0;
        if ((insn & 0x7f) == OP_FP) {
            operate(x, insn, bits, rd, rs1);
        } else {
            fusedMultiplyAdd(insn & 0x7f, ((insn >>> 25) & 3) == SINGLE, roundingMode(insn, bits), rd, rs1,
                    (insn >>> 20) & 0x1f, insn >>> 27);
        }
        csrs.accrue(status.flags);
    }

    /**
     * Tells translated code which F/D instructions may run now without trapping: {@link #READY} when FS is on, plus
     * {@link #READY_DYNAMIC} when frm is valid too, and frm itself from bit {@link #FRM_SHIFT} on. None of it
     * changes while a region runs (only SYSTEM instructions, CSR accesses and xRETs, and traps change FS, frm or V,
     * and all of them leave translated code), so a region asks once, on entry, and leaves in front of an instruction
     * whose bit is clear, for the interpreter to raise illegal-instruction.
     *
     * @return the bits
     */
    public int readiness() {
        if (!csrs.enabled()) {
            return 0;
        }
        int frm = csrs.frm;
        return (FpRounding.isValid(frm) ? READY | READY_DYNAMIC : READY) | frm << FRM_SHIFT;
    }

    /**
     * Returns the f registers (the hart's own array), which translated code loads into locals on entry and writes
     * back on exit.
     *
     * @return the array
     */
    public long[] registers() {
        return f;
    }

    /**
     * Returns the status into which translated code's operations OR their exception flags; {@link #settle} accrues
     * them when the region exits.
     *
     * @return the status
     */
    public FpStatus regionStatus() {
        return regionStatus;
    }

    /**
     * Ends a region's run for the floating-point state: accrues the flags its operations raised (which marks FS
     * Dirty, as each instruction that raises one does) and marks FS Dirty if it wrote an f register.
     *
     * @param wrote nonzero when the run executed an instruction that writes an f register
     */
    public void settle(int wrote) {
        int raised = regionStatus.flags;
        if (raised != 0) {
            regionStatus.flags = 0;
            csrs.accrue(raised);
        }
        if (wrote != 0) {
            csrs.markDirty();
        }
    }

    /**
     * Executes a computational instruction (OP-FP or a fused multiply-add) that cannot trap, for the interpreter's
     * hot loop: with FS on and, for a dynamic rounding mode, a valid frm. Anything else (loads and stores, which may
     * fault; an instruction that must raise illegal-instruction) is left alone, unchanged, for {@link #execute}.
     *
     * @param x the integer registers
     * @param bits the instruction
     * @return true when it ran
     */
    public boolean tryCompute(long[] x, int bits) {
        int opcode = bits & 0x7f;
        if ((bits & 3) != 3 || opcode == LOAD_FP || opcode == STORE_FP || !csrs.enabled()
                || (((bits >>> 12) & 7) == FpRounding.DYNAMIC && !FpRounding.isValid(csrs.frm))) {
            return false; // rm 5 and 6 never get here: the decoder refuses them
        }
        compute(x, bits, bits);
        return true;
    }

    /**
     * Completes an FP load or store for the interpreter's hot loop, which found its page in the TLB: when FS is on,
     * the access at the RAM address and the f register (FLW NaN-boxed, FS Dirty for a load); else nothing, for the
     * slow path to raise illegal-instruction.
     *
     * @param kind {@code Opcodes.FLOAT_LW}, {@code FLOAT_LD}, {@code FLOAT_SW} or {@code FLOAT_SD}
     * @param register the f register loaded or stored
     * @param ram the hart's RAM
     * @param address the RAM address
     * @return true when done
     */
    public boolean transfer(int kind, int register, GuestMemory ram, long address) {
        if (!csrs.enabled()) {
            return false;
        }
        switch (kind) {
            case Opcodes.FLOAT_LW -> writeSingle(register, ram.read32(address));
            case Opcodes.FLOAT_LD -> writeDouble(register, ram.read64(address));
            case Opcodes.FLOAT_SW -> ram.write32(address, (int) f[register]); // the low 32 bits, boxed or not
            default -> ram.write64(address, f[register]);
        }
        return true;
    }

    private TrapException illegal(int bits) {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
    }

    /** The rounding mode of an instruction's rm field: static 0-4, or frm for 7 (frm 5-7 is illegal). */
    private int roundingMode(int insn, int bits) {
        int rm = (insn >>> 12) & 7;
        if (rm == FpRounding.DYNAMIC) {
            rm = csrs.frm;
        }
        if (!FpRounding.isValid(rm)) {
            throw illegal(bits);
        }
        return rm;
    }

    private int single(int register) {
        return FloatRegisters.unbox(f[register]);
    }

    private void writeSingle(int register, int value) {
        f[register] = FloatRegisters.box(value);
        csrs.markDirty();
    }

    private void writeDouble(int register, long value) {
        f[register] = value;
        csrs.markDirty();
    }

    private static void writeInteger(long[] x, int register, long value) {
        if (register != 0) {
            x[register] = value;
        }
    }

    /** a*b+c with one rounding; FMSUB negates c, FNMSUB the product (a), FNMADD both. Flags into status. */
    private void fusedMultiplyAdd(int opcode, boolean single, int rm, int rd, int rs1, int rs2, int rs3) {
        boolean negateProduct = opcode == NMSUB || opcode == NMADD;
        boolean negateAddend = opcode == MSUB || opcode == NMADD;
        if (single) {
            int a = single(rs1) ^ (negateProduct ? SIGN32 : 0);
            int c = single(rs3) ^ (negateAddend ? SIGN32 : 0);
            writeSingle(rd, Binary32.mulAdd(a, single(rs2), c, rm, status));
        } else {
            long a = f[rs1] ^ (negateProduct ? SIGN64 : 0);
            long c = f[rs3] ^ (negateAddend ? SIGN64 : 0);
            writeDouble(rd, Binary64.mulAdd(a, f[rs2], c, rm, status));
        }
    }

    private void operate(long[] x, int insn, int bits, int rd, int rs1) {
        int funct5 = insn >>> 27;
        int rs2 = (insn >>> 20) & 0x1f;
        int funct3 = (insn >>> 12) & 7;
        boolean single = ((insn >>> 25) & 3) == SINGLE;
        switch (funct5) {
            case FADD, FSUB, FMUL, FDIV, FSQRT -> arithmetic(funct5, single, roundingMode(insn, bits), rd, rs1, rs2);
            case FSGNJ -> {
                if (single) {
                    writeSingle(rd, FloatRegisters.signInjectSingle(single(rs1), single(rs2), funct3));
                } else {
                    writeDouble(rd, FloatRegisters.signInjectDouble(f[rs1], f[rs2], funct3));
                }
            }
            case FMINMAX -> {
                if (single) {
                    writeSingle(rd, funct3 == 0 ? Binary32.min(single(rs1), single(rs2), status)
                            : Binary32.max(single(rs1), single(rs2), status));
                } else {
                    writeDouble(rd, funct3 == 0 ? Binary64.min(f[rs1], f[rs2], status)
                            : Binary64.max(f[rs1], f[rs2], status));
                }
            }
            case FCVT_FLOAT -> {
                int rm = roundingMode(insn, bits);
                if (single) {
                    writeSingle(rd, Binary64.toBinary32(f[rs1], rm, status)); // FCVT.S.D
                } else {
                    writeDouble(rd, Binary64.fromBinary32(single(rs1), status)); // FCVT.D.S
                }
            }
            case FCOMPARE -> writeInteger(x, rd, compare(single, funct3, rs1, rs2) ? 1 : 0);
            case FCVT_TO_INTEGER -> writeInteger(x, rd, toInteger(single, rs2, roundingMode(insn, bits), rs1));
            case FCVT_FROM_INTEGER -> fromInteger(single, rs2, roundingMode(insn, bits), rd, x[rs1]);
            case FMV_TO_INTEGER -> {
                long value;
                if (funct3 == 1) {
                    value = single ? Binary32.classify(single(rs1)) : Binary64.classify(f[rs1]);
                } else {
                    value = single ? (long) (int) f[rs1] : f[rs1]; // FMV.X.W: the low bits, sign-extended
                }
                writeInteger(x, rd, value);
            }
            default -> { // FMV_FROM_INTEGER, the decoder's only other OP-FP funct5
                if (single) {
                    writeSingle(rd, (int) x[rs1]);
                } else {
                    writeDouble(rd, x[rs1]);
                }
            }
        }
    }

    private void arithmetic(int funct5, boolean single, int rm, int rd, int rs1, int rs2) {
        if (single) {
            int a = single(rs1);
            int b = single(rs2);
            writeSingle(rd, switch (funct5) {
                case FADD -> Binary32.add(a, b, rm, status);
                case FSUB -> Binary32.sub(a, b, rm, status);
                case FMUL -> Binary32.mul(a, b, rm, status);
                case FDIV -> Binary32.div(a, b, rm, status);
                default -> Binary32.sqrt(a, rm, status);
            });
        } else {
            long a = f[rs1];
            long b = f[rs2];
            writeDouble(rd, switch (funct5) {
                case FADD -> Binary64.add(a, b, rm, status);
                case FSUB -> Binary64.sub(a, b, rm, status);
                case FMUL -> Binary64.mul(a, b, rm, status);
                case FDIV -> Binary64.div(a, b, rm, status);
                default -> Binary64.sqrt(a, rm, status);
            });
        }
    }

    /** FLE (funct3 0), FLT (1), FEQ (2). */
    private boolean compare(boolean single, int funct3, int rs1, int rs2) {
        if (single) {
            int a = single(rs1);
            int b = single(rs2);
            return funct3 == 0 ? Binary32.le(a, b, status) : funct3 == 1 ? Binary32.lt(a, b, status)
                    : Binary32.eq(a, b, status);
        }
        long a = f[rs1];
        long b = f[rs2];
        return funct3 == 0 ? Binary64.le(a, b, status) : funct3 == 1 ? Binary64.lt(a, b, status)
                : Binary64.eq(a, b, status);
    }

    /** FCVT.W, .WU, .L, .LU (rs2 0 to 3) from S or D. */
    private long toInteger(boolean single, int kind, int rm, int rs1) {
        if (single) {
            int a = single(rs1);
            return switch (kind) {
                case 0 -> Binary32.toInt32(a, rm, status);
                case 1 -> Binary32.toUint32(a, rm, status);
                case 2 -> Binary32.toInt64(a, rm, status);
                default -> Binary32.toUint64(a, rm, status);
            };
        }
        long a = f[rs1];
        return switch (kind) {
            case 0 -> Binary64.toInt32(a, rm, status);
            case 1 -> Binary64.toUint32(a, rm, status);
            case 2 -> Binary64.toInt64(a, rm, status);
            default -> Binary64.toUint64(a, rm, status);
        };
    }

    /** FCVT.S/D from .W, .WU, .L, .LU (rs2 0 to 3). */
    private void fromInteger(boolean single, int kind, int rm, int rd, long value) {
        if (single) {
            writeSingle(rd, switch (kind) {
                case 0 -> Binary32.fromInt32((int) value, rm, status);
                case 1 -> Binary32.fromUint32((int) value, rm, status);
                case 2 -> Binary32.fromInt64(value, rm, status);
                default -> Binary32.fromUint64(value, rm, status);
            });
        } else {
            writeDouble(rd, switch (kind) {
                case 0 -> Binary64.fromInt32((int) value, rm, status);
                case 1 -> Binary64.fromUint32((int) value, rm, status);
                case 2 -> Binary64.fromInt64(value, rm, status);
                default -> Binary64.fromUint64(value, rm, status);
            });
        }
    }
}
