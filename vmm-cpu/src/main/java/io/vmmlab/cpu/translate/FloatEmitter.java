package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.CompressedExpander;
import io.vmmlab.cpu.decode.FloatEncoding;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.exec.FloatExecutor;
import io.vmmlab.cpu.fp.FpRounding;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static io.vmmlab.cpu.decode.FloatEncoding.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * Emits a region's F and D instructions ({@link Opcodes#FLOAT}; see {@link CodeGenerator}) as calls into the hart's
 * {@link FloatExecutor}, which the class holds in a static field: the region stays in translated code where the
 * interpreter would leave it.
 *
 * <p>Whether F/D instructions may run (FS on; frm valid for a dynamic rounding mode) cannot change while a region
 * runs, so the region asks once on entry ({@link FloatExecutor#readiness}) and each load, store, arithmetic
 * instruction and fused multiply-add tests that answer. Arithmetic (FADD ... FSQRT) and fused multiply-adds call the
 * executor's entries for their format with the decoded fields ({@link FloatExecutor#arithmeticDouble},
 * {@link FloatExecutor#fusedDouble} ...), and so do comparisons, conversions to and from integers and moves, whose
 * integer operand or result is the region's own register local. The rest (sign injection, min/max, FCLASS, FCVT.S.D
 * and FCVT.D.S) call {@link FloatExecutor#tryCompute}, the interpreter hot loop's own entry, which checks for itself
 * and reads and writes the hart's integer register array (FCLASS's destination is read back from it). Either way the
 * arithmetic, flags and Dirty marking are the interpreter's. A load or store makes its own access: a TLB probe of its own
 * ({@link MemoryEmitter}), the RAM access, then the f register written through the executor (NaN-boxed for FLW,
 * Dirty marked) or read from it.
 *
 * <p>Whatever the interpreter would trap on (FS Off, an invalid dynamic rounding mode, a TLB miss, which covers
 * faults, devices and pages that hold code) leaves the region in front of the instruction, changing nothing, and
 * the interpreter runs it: traps stay precise.
 */
final class FloatEmitter {
    /** The static field with the hart's floating-point executor (null on harts without F). */
    static final String FLOATS_FIELD = "FLOATS";
    static final String EXECUTOR = Type.getInternalName(FloatExecutor.class);
    static final String EXECUTOR_DESCRIPTOR = Type.getDescriptor(FloatExecutor.class);

    // The TLB tag offsets within an entry (Tlb.LOAD_TAG, Tlb.STORE_TAG), as Block gives integer accesses.
    private static final int LOAD_TAG = 0;
    private static final int STORE_TAG = 2;

    private final MethodVisitor method;
    private final ValueEmitter values;
    private final MemoryEmitter memory;
    private final String className;
    private final int integerRegisters;
    private final int readiness;

    /**
     * Creates the emitter.
     *
     * @param method the method being written
     * @param values pushes registers and constants
     * @param memory probes the TLB and accesses RAM
     * @param className the generated class, which holds the executor in {@link #FLOATS_FIELD}
     * @param integerRegisters local slot of the hart's integer register array ({@code long[]})
     * @param readiness local slot (int) of the region's {@link FloatExecutor#readiness}
     */
    FloatEmitter(MethodVisitor method, ValueEmitter values, MemoryEmitter memory, String className,
                 int integerRegisters, int readiness) {
        this.method = method;
        this.values = values;
        this.memory = memory;
        this.className = className;
        this.integerRegisters = integerRegisters;
        this.readiness = readiness;
    }

    /** Returns a FLOAT instruction's 32-bit form (a compressed one expanded). */
    private static int expanded(Insn insn) {
        int bits = insn.imm;
        return (bits & 3) == 3 ? bits : CompressedExpander.expand(bits & 0xffff);
    }

    /**
     * Returns the integer register a FLOAT instruction reads: a load's or store's base, the source of FMV.W.X /
     * FMV.D.X and of conversions from integers; 0 for none.
     *
     * @param insn a {@link Opcodes#FLOAT} instruction
     * @return the register, or 0
     */
    static int integerSource(Insn insn) {
        int bits = expanded(insn);
        int opcode = bits & 0x7f;
        int funct5 = bits >>> 27;
        boolean fromInteger = opcode == OP_FP && (funct5 == FCVT_FROM_INTEGER || funct5 == FMV_FROM_INTEGER);
        return opcode == LOAD_FP || opcode == STORE_FP || fromInteger ? (bits >>> 15) & 0x1f : 0;
    }

    /**
     * Returns the integer register a FLOAT instruction writes: comparisons, FCLASS, FMV.X.W / FMV.X.D and
     * conversions to integers; 0 for none (also for x0).
     *
     * @param insn a {@link Opcodes#FLOAT} instruction
     * @return the register, or 0
     */
    static int integerDestination(Insn insn) {
        int bits = expanded(insn);
        int funct5 = bits >>> 27;
        boolean toInteger = funct5 == FCOMPARE || funct5 == FCVT_TO_INTEGER || funct5 == FMV_TO_INTEGER;
        return (bits & 0x7f) == OP_FP && toInteger ? (bits >>> 7) & 0x1f : 0;
    }

    /**
     * Emits one instruction.
     *
     * @param insn a {@link Opcodes#FLOAT} instruction
     * @param exit where the region leaves in front of it (for the interpreter to run it)
     */
    void emit(Insn insn, Label exit) {
        int bits = expanded(insn);
        switch (bits & 0x7f) {
            case LOAD_FP -> emitLoad(insn, bits, exit);
            case STORE_FP -> emitStore(insn, bits, exit);
            case MADD, MSUB, NMSUB, NMADD -> emitFusedMultiplyAdd(bits, exit);
            default -> emitOperation(insn, bits, exit);
        }
    }

    /** An OP-FP instruction: the common ones through the executor's entries for them, the rest as the hot loop. */
    private void emitOperation(Insn insn, int bits, Label exit) {
        int funct5 = bits >>> 27;
        int funct3 = (bits >>> 12) & 7;
        int rd = (bits >>> 7) & 0x1f;
        int rs1 = (bits >>> 15) & 0x1f;
        int rs2 = (bits >>> 20) & 0x1f;
        int single = ((bits >>> 25) & 3) == SINGLE ? 1 : 0;
        if (funct5 <= FloatEncoding.FDIV || funct5 == FSQRT) { // FADD, FSUB, FMUL, FDIV (0-3), FSQRT
            emitArithmetic(bits, exit);
            return;
        }
        switch (funct5) {
            case FCOMPARE -> {
                emitReadinessCheck(bits, exit);
                pushExecutor();
                pushInts(single, funct3, rs1, rs2);
                method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "compareRegisters", "(ZIII)J", false);
                values.storeRegister(rd);
            }
            case FCVT_TO_INTEGER -> {
                emitReadinessCheck(bits, exit);
                pushExecutor();
                pushInts(single, rs2, rs1, funct3);
                method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "convertToInteger", "(ZIII)J", false);
                values.storeRegister(rd);
            }
            case FCVT_FROM_INTEGER -> {
                emitReadinessCheck(bits, exit);
                pushExecutor();
                pushInts(single, rs2, rd);
                values.loadRegister(rs1);
                values.pushInt(funct3);
                method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "convertFromInteger", "(ZIIJI)V", false);
            }
            case FMV_FROM_INTEGER -> {
                emitReadinessCheck(bits, exit);
                pushExecutor();
                values.loadRegister(rs1);
                values.pushInt(rd);
                method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, single == 1 ? "loadedSingle" : "loadedDouble",
                        "(JI)V", false);
            }
            default -> {
                if (funct5 == FMV_TO_INTEGER && funct3 == 0) { // FMV.X.W, FMV.X.D (funct3 1 is FCLASS)
                    emitReadinessCheck(bits, exit);
                    pushExecutor();
                    pushInts(single, rs1);
                    method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "moveToInteger", "(ZI)J", false);
                    values.storeRegister(rd);
                } else {
                    emitCompute(insn, exit); // FSGNJ, FMIN/FMAX, FCLASS, FCVT.S.D/D.S
                }
            }
        }
    }

    private void pushInts(int... constants) {
        for (int constant : constants) {
            values.pushInt(constant);
        }
    }

    /** FADD ... FSQRT: the executor's entry for the format, with the fields as constants (no decoding at run time). */
    private void emitArithmetic(int bits, Label exit) {
        emitReadinessCheck(bits, exit);
        pushExecutor();
        values.pushInt(bits >>> 27);
        values.pushInt((bits >>> 7) & 0x1f);
        values.pushInt((bits >>> 15) & 0x1f);
        values.pushInt((bits >>> 20) & 0x1f);
        values.pushInt((bits >>> 12) & 7);
        String name = ((bits >>> 25) & 3) == SINGLE ? "arithmeticSingle" : "arithmeticDouble";
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, name, "(IIIII)V", false);
    }

    /** FMADD ... FNMADD, likewise. */
    private void emitFusedMultiplyAdd(int bits, Label exit) {
        emitReadinessCheck(bits, exit);
        pushExecutor();
        values.pushInt(bits & 0x7f);
        values.pushInt((bits >>> 7) & 0x1f);
        values.pushInt((bits >>> 15) & 0x1f);
        values.pushInt((bits >>> 20) & 0x1f);
        values.pushInt(bits >>> 27);
        values.pushInt((bits >>> 12) & 7);
        String name = ((bits >>> 25) & 3) == SINGLE ? "fusedSingle" : "fusedDouble";
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, name, "(IIIIII)V", false);
    }

    /**
     * Emits the region's entry question ({@link FloatExecutor#readiness}), leaving its answer on the stack for the
     * readiness local.
     */
    void emitReadiness() {
        pushExecutor();
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "readiness", "()I", false);
    }

    /**
     * Leaves for the interpreter (which raises illegal-instruction) unless the region's readiness allows the
     * instruction: FS on, and for a dynamic rounding mode (rm 7; a load's or store's width field never is) a valid
     * frm.
     */
    private void emitReadinessCheck(int bits, Label exit) {
        boolean dynamic = ((bits >>> 12) & 7) == FpRounding.DYNAMIC;
        method.visitVarInsn(ILOAD, readiness);
        values.pushInt(dynamic ? FloatExecutor.READY_DYNAMIC : FloatExecutor.READY);
        method.visitInsn(IAND);
        method.visitJumpInsn(IFEQ, exit);
    }

    private void emitCompute(Insn insn, Label exit) {
        int source = integerSource(insn);
        if (source != 0) {
            method.visitVarInsn(ALOAD, integerRegisters);
            values.pushInt(source);
            values.loadRegister(source);
            method.visitInsn(LASTORE);
        }
        pushExecutor();
        method.visitVarInsn(ALOAD, integerRegisters);
        values.pushInt(insn.imm);
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "tryCompute", "([JI)Z", false);
        method.visitJumpInsn(IFEQ, exit);
        int destination = integerDestination(insn);
        if (destination != 0) {
            method.visitVarInsn(ALOAD, integerRegisters);
            values.pushInt(destination);
            method.visitInsn(LALOAD);
            values.storeRegister(destination);
        }
    }

    private void emitLoad(Insn insn, int bits, Label exit) {
        boolean single = ((bits >>> 12) & 7) == 2;
        int size = single ? 4 : 8;
        Insn access = new Insn(Opcodes.MEM, single ? Opcodes.LWU : Opcodes.LD, Opcodes.SINK, (bits >>> 15) & 0x1f, 0,
                bits >> 20, 64 - 8 * size, single ? Opcodes.MEM_LOADU : Opcodes.MEM_LOAD, 7, LOAD_TAG, insn.offset,
                insn.index, null);
        emitReadinessCheck(bits, exit);
        memory.emitProbe(access, access.disp, access.disp + size - 1L, exit);
        pushExecutor();
        memory.emitLoad(access);
        values.pushInt((bits >>> 7) & 0x1f);
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, single ? "loadedSingle" : "loadedDouble", "(JI)V", false);
    }

    private void emitStore(Insn insn, int bits, Label exit) {
        boolean single = ((bits >>> 12) & 7) == 2;
        int size = single ? 4 : 8;
        int displacement = (bits >> 25) << 5 | ((bits >>> 7) & 0x1f);
        Insn access = new Insn(Opcodes.MEM, single ? Opcodes.SW : Opcodes.SD, Opcodes.SINK, (bits >>> 15) & 0x1f, 0,
                displacement, 0, single ? Opcodes.MEM_SW : Opcodes.MEM_SD, size - 1, STORE_TAG, insn.offset,
                insn.index, null);
        emitReadinessCheck(bits, exit);
        memory.emitProbe(access, displacement, displacement + size - 1L, exit);
        memory.emitStoreAddress(access);
        pushExecutor();
        values.pushInt((bits >>> 20) & 0x1f);
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "register", "(I)J", false);
        memory.emitStore(access);
    }

    private void pushExecutor() {
        method.visitFieldInsn(GETSTATIC, className, FLOATS_FIELD, EXECUTOR_DESCRIPTOR);
    }
}
