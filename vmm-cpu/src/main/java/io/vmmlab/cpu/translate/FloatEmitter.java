package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.CompressedExpander;
import io.vmmlab.cpu.decode.FloatEncoding;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.exec.FloatExecutor;
import io.vmmlab.cpu.exec.FloatRegisters;
import io.vmmlab.cpu.fp.Binary32;
import io.vmmlab.cpu.fp.Binary64;
import io.vmmlab.cpu.fp.FpRounding;
import io.vmmlab.cpu.fp.FpStatus;
import io.vmmlab.cpu.mmu.Tlb;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.BitSet;

import static io.vmmlab.cpu.decode.FloatEncoding.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * Emits a region's F and D instructions ({@link Opcodes#FLOAT}; see {@link CodeGenerator}). The f registers the
 * region uses live in long locals, as the integer ones do (register numbers {@link #FIRST} + n for fn in the
 * generator's register numbering), loaded from the hart's array on entry and written back at the exit sequence;
 * each instruction calls the arithmetic core ({@link Binary64}, {@link Binary32}: static, small where it matters,
 * host arithmetic for the common cases) on those values, with NaN-boxing ({@link FloatRegisters}) around singles.
 *
 * <p>State the interpreter would update per instruction is settled at the exit instead: every operation ORs its
 * exception flags into the hart's region status ({@link FloatExecutor#regionStatus}), an instruction that writes an
 * f register sets the region's "wrote" local, and the exit sequence calls {@link FloatExecutor#settle}, which accrues
 * the flags and marks FS Dirty as those instructions would have. Nothing reads fflags or FS inside a region (only
 * CSR instructions and traps do, and both leave it), so the result is the same.
 *
 * <p>Whether F/D instructions may run (FS on; frm valid for a dynamic rounding mode) cannot change while a region
 * runs either, so the region asks once on entry ({@link FloatExecutor#readiness}, which also gives frm) and each
 * instruction tests that answer; when it may not run the region leaves in front of it, changing nothing, and the
 * interpreter raises illegal-instruction. Loads and stores probe the TLB and access RAM as integer ones do; a miss
 * (faults, devices, pages that hold code) leaves for the interpreter, too: traps stay precise.
 */
final class FloatEmitter {
    /** The generator's register number of f0 (x0..x31 are 0..31, and 32 is the sink). */
    static final int FIRST = 33;

    private static final String FLOATS_FIELD = "FLOATS";
    private static final String REGISTERS_FIELD = "FREGS";
    private static final String STATUS_FIELD = "FSTATUS";
    static final String EXECUTOR = Type.getInternalName(FloatExecutor.class);
    static final String EXECUTOR_DESCRIPTOR = Type.getDescriptor(FloatExecutor.class);
    static final String STATUS_DESCRIPTOR = Type.getDescriptor(FpStatus.class);
    static final String REGISTERS = Type.getInternalName(FloatRegisters.class);
    static final String DOUBLE = Type.getInternalName(Binary64.class);
    static final String SINGLE_CLASS = Type.getInternalName(Binary32.class);


    private final MethodVisitor method;
    private final ValueEmitter values;
    private final MemoryEmitter memory;
    private final String className;
    private final int readiness;
    private final int wrote;

    /**
     * Creates the emitter.
     *
     * @param method the method being written
     * @param values pushes registers (integer and f) and constants
     * @param memory probes the TLB and accesses RAM
     * @param className the generated class, which holds the executor, the f register array and the region status
     * @param readiness local slot (int) of the region's {@link FloatExecutor#readiness}
     * @param wrote local slot (int), nonzero once an instruction wrote an f register
     */
    FloatEmitter(MethodVisitor method, ValueEmitter values, MemoryEmitter memory, String className, int readiness,
                 int wrote) {
        this.method = method;
        this.values = values;
        this.memory = memory;
        this.className = className;
        this.readiness = readiness;
        this.wrote = wrote;
    }

    /** Returns a FLOAT instruction's 32-bit form (a compressed one expanded). */
    private static int expanded(Insn insn) {
        int bits = insn.imm;
        return (bits & 3) == 3 ? bits : CompressedExpander.expand(bits & 0xffff);
    }

    /**
     * Adds the registers a FLOAT instruction reads or writes to the region's sets, in the generator's numbering:
     * integer ones as themselves (a load's or store's base, the source of a move or conversion from an integer, the
     * destination of a comparison, FCLASS, a move or conversion to an integer), f registers from {@link #FIRST} on.
     *
     * @param insn a {@link Opcodes#FLOAT} instruction
     * @param used registers with a local (read, or written, since a written one is written back)
     * @param written registers the exit sequence writes back
     */
    static void registers(Insn insn, BitSet used, BitSet written) {
        int bits = expanded(insn);
        int rd = (bits >>> 7) & 0x1f;
        int rs1 = (bits >>> 15) & 0x1f;
        int rs2 = (bits >>> 20) & 0x1f;
        switch (bits & 0x7f) {
            case LOAD_FP -> {
                used.set(insn.rs1); // the block form's fields (Opcodes.FLOAT_LW)
                write(FIRST + insn.rs2, used, written);
            }
            case STORE_FP -> {
                used.set(insn.rs1);
                used.set(FIRST + insn.rs2);
            }
            case MADD, MSUB, NMSUB, NMADD -> {
                used.set(FIRST + rs1);
                used.set(FIRST + rs2);
                used.set(FIRST + (bits >>> 27));
                write(FIRST + rd, used, written);
            }
            default -> {
                switch (bits >>> 27) {
                    case FCOMPARE -> {
                        used.set(FIRST + rs1);
                        used.set(FIRST + rs2);
                        write(rd, used, written);
                    }
                    case FCVT_TO_INTEGER, FMV_TO_INTEGER -> {
                        used.set(FIRST + rs1);
                        write(rd, used, written);
                    }
                    case FCVT_FROM_INTEGER, FMV_FROM_INTEGER -> {
                        used.set(rs1);
                        write(FIRST + rd, used, written);
                    }
                    case FSQRT, FCVT_FLOAT -> {
                        used.set(FIRST + rs1);
                        write(FIRST + rd, used, written);
                    }
                    default -> { // FADD, FSUB, FMUL, FDIV, FSGNJ, FMINMAX
                        used.set(FIRST + rs1);
                        used.set(FIRST + rs2);
                        write(FIRST + rd, used, written);
                    }
                }
            }
        }
    }

    private static void write(int register, BitSet used, BitSet written) {
        used.set(register);
        written.set(register);
    }

    /**
     * Emits the class's fields for the floating-point state.
     *
     * @param writer the class
     */
    static void emitFields(ClassVisitor writer) {
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, FLOATS_FIELD, EXECUTOR_DESCRIPTOR, null, null)
                .visitEnd();
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, REGISTERS_FIELD, "[J", null, null).visitEnd();
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, STATUS_FIELD, STATUS_DESCRIPTOR, null, null)
                .visitEnd();
    }

    /**
     * Emits, in the class initializer, the fields' values from the executor on the stack.
     *
     * @param initializer the class initializer
     * @param className the class
     */
    static void emitFieldValues(MethodVisitor initializer, String className) {
        initializer.visitInsn(DUP);
        initializer.visitInsn(DUP);
        initializer.visitFieldInsn(PUTSTATIC, className, FLOATS_FIELD, EXECUTOR_DESCRIPTOR);
        initializer.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "registers", "()[J", false);
        initializer.visitFieldInsn(PUTSTATIC, className, REGISTERS_FIELD, "[J");
        initializer.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "regionStatus", "()" + STATUS_DESCRIPTOR, false);
        initializer.visitFieldInsn(PUTSTATIC, className, STATUS_FIELD, STATUS_DESCRIPTOR);
    }

    /** Emits the region's entry question ({@link FloatExecutor#readiness}), leaving its answer on the stack. */
    void emitReadiness() {
        method.visitFieldInsn(GETSTATIC, className, FLOATS_FIELD, EXECUTOR_DESCRIPTOR);
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "readiness", "()I", false);
    }

    /**
     * Emits the loading of an f register's local from the hart's array (on entry).
     *
     * @param register the generator's register number ({@link #FIRST} + n)
     */
    void emitLoadRegister(int register) {
        method.visitFieldInsn(GETSTATIC, className, REGISTERS_FIELD, "[J");
        values.pushInt(register - FIRST);
        method.visitInsn(LALOAD);
        values.storeRegister(register);
    }

    /**
     * Emits the writing back of an f register's local to the hart's array (at the exit).
     *
     * @param register the generator's register number ({@link #FIRST} + n)
     */
    void emitStoreRegister(int register) {
        method.visitFieldInsn(GETSTATIC, className, REGISTERS_FIELD, "[J");
        values.pushInt(register - FIRST);
        values.loadRegister(register);
        method.visitInsn(LASTORE);
    }

    /** Emits the exit's settling of flags and FS ({@link FloatExecutor#settle}). */
    void emitSettle() {
        method.visitFieldInsn(GETSTATIC, className, FLOATS_FIELD, EXECUTOR_DESCRIPTOR);
        method.visitVarInsn(ILOAD, wrote);
        method.visitMethodInsn(INVOKEVIRTUAL, EXECUTOR, "settle", "(I)V", false);
    }

    /**
     * Emits one instruction.
     *
     * @param insn a {@link Opcodes#FLOAT} instruction
     * @param exit where the region leaves in front of it (for the interpreter to run it)
     */
    void emit(Insn insn, Label exit) {
        int bits = expanded(insn);
        boolean dynamic = ((bits >>> 12) & 7) == FpRounding.DYNAMIC; // a load's or store's width is never 7
        method.visitVarInsn(ILOAD, readiness);
        values.pushInt(dynamic ? FloatExecutor.READY_DYNAMIC : FloatExecutor.READY);
        method.visitInsn(IAND);
        method.visitJumpInsn(IFEQ, exit);
        switch (bits & 0x7f) {
            case LOAD_FP -> emitLoad(insn, exit);
            case STORE_FP -> emitStore(insn, exit);
            case MADD, MSUB, NMSUB, NMADD -> emitFusedMultiplyAdd(bits);
            default -> emitOperation(bits);
        }
    }

    /**
     * An FP load, from its block form's MEM-like fields ({@link Opcodes#FLOAT_LW}: base rs1, displacement aux, f
     * register rs2), through the integer loads' probe and access as LWU or LD.
     */
    private void emitLoad(Insn insn, Label exit) {
        boolean single = insn.sub == Opcodes.FLOAT_LW;
        int size = single ? 4 : 8;
        Insn access = new Insn(Opcodes.MEM, single ? Opcodes.LWU : Opcodes.LD, Opcodes.SINK, insn.rs1, 0, insn.aux,
                64 - 8 * size, single ? Opcodes.MEM_LOADU : Opcodes.MEM_LOAD, 7, Tlb.LOAD_TAG, insn.offset,
                insn.index, null);
        memory.emitProbe(access, access.disp, access.disp + size - 1L, exit);
        memory.emitLoad(access);
        if (single) {
            method.visitInsn(L2I);
            storeSingle(insn.rs2);
        } else {
            storeDouble(insn.rs2);
        }
    }

    /** An FP store, likewise, as SW or SD (FSW stores the register's low 32 bits, boxed or not). */
    private void emitStore(Insn insn, Label exit) {
        boolean single = insn.sub == Opcodes.FLOAT_SW;
        int size = single ? 4 : 8;
        Insn access = new Insn(Opcodes.MEM, single ? Opcodes.SW : Opcodes.SD, Opcodes.SINK, insn.rs1, 0, insn.aux, 0,
                single ? Opcodes.MEM_SW : Opcodes.MEM_SD, size - 1, Tlb.STORE_TAG, insn.offset, insn.index, null);
        memory.emitProbe(access, access.disp, access.disp + size - 1L, exit);
        memory.emitStoreAddress(access);
        values.loadRegister(FIRST + insn.rs2);
        memory.emitStore(access);
    }

    /** a * b + c with one rounding; FMSUB negates c, FNMSUB the product (a), FNMADD both. */
    private void emitFusedMultiplyAdd(int bits) {
        int opcode = bits & 0x7f;
        boolean single = ((bits >>> 25) & 3) == SINGLE;
        boolean negateProduct = opcode == NMSUB || opcode == NMADD;
        boolean negateAddend = opcode == MSUB || opcode == NMADD;
        pushOperand(single, (bits >>> 15) & 0x1f, negateProduct);
        pushOperand(single, (bits >>> 20) & 0x1f, false);
        pushOperand(single, bits >>> 27, negateAddend);
        pushRoundingMode(bits);
        call(single, "mulAdd", single ? "(IIII" + STATUS_DESCRIPTOR + ")I" : "(JJJI" + STATUS_DESCRIPTOR + ")J");
        store(single, (bits >>> 7) & 0x1f);
    }

    private void emitOperation(int bits) {
        int funct5 = bits >>> 27;
        int funct3 = (bits >>> 12) & 7;
        int rd = (bits >>> 7) & 0x1f;
        int rs1 = (bits >>> 15) & 0x1f;
        int rs2 = (bits >>> 20) & 0x1f;
        boolean single = ((bits >>> 25) & 3) == SINGLE;
        String value = single ? "I" : "J";
        switch (funct5) {
            case FloatEncoding.FADD, FloatEncoding.FSUB, FloatEncoding.FMUL, FloatEncoding.FDIV -> {
                pushOperand(single, rs1, false);
                pushOperand(single, rs2, false);
                pushRoundingMode(bits);
                String name = new String[] {"add", "sub", "mul", "div"}[funct5]; // funct5 0 to 3
                call(single, name, "(" + value + value + "I" + STATUS_DESCRIPTOR + ")" + value);
                store(single, rd);
            }
            case FSQRT -> {
                pushOperand(single, rs1, false);
                pushRoundingMode(bits);
                call(single, "sqrt", "(" + value + "I" + STATUS_DESCRIPTOR + ")" + value);
                store(single, rd);
            }
            case FSGNJ -> {
                pushOperand(single, rs1, false);
                pushOperand(single, rs2, false);
                values.pushInt(funct3);
                method.visitMethodInsn(INVOKESTATIC, REGISTERS, single ? "signInjectSingle" : "signInjectDouble",
                        "(" + value + value + "I)" + value, false);
                store(single, rd);
            }
            case FMINMAX -> {
                pushOperand(single, rs1, false);
                pushOperand(single, rs2, false);
                pushStatus();
                call(single, funct3 == 0 ? "min" : "max", "(" + value + value + STATUS_DESCRIPTOR + ")" + value);
                store(single, rd);
            }
            case FCVT_FLOAT -> {
                // FCVT.S.D (fmt S) rounds a double; FCVT.D.S (fmt D) widens a single exactly.
                pushOperand(!single, rs1, false);
                if (single) {
                    pushRoundingMode(bits);
                    method.visitMethodInsn(INVOKESTATIC, DOUBLE, "toBinary32", "(JI" + STATUS_DESCRIPTOR + ")I", false);
                } else {
                    pushStatus();
                    method.visitMethodInsn(INVOKESTATIC, DOUBLE, "fromBinary32", "(I" + STATUS_DESCRIPTOR + ")J", false);
                }
                store(single, rd);
            }
            case FCOMPARE -> {
                pushOperand(single, rs1, false);
                pushOperand(single, rs2, false);
                pushStatus();
                String name = new String[] {"le", "lt", "eq"}[funct3];
                call(single, name, "(" + value + value + STATUS_DESCRIPTOR + ")Z");
                method.visitInsn(I2L);
                values.storeRegister(rd);
            }
            case FCVT_TO_INTEGER -> {
                pushOperand(single, rs1, false);
                pushRoundingMode(bits);
                String name = new String[] {"toInt32", "toUint32", "toInt64", "toUint64"}[rs2];
                call(single, name, "(" + value + "I" + STATUS_DESCRIPTOR + ")J");
                values.storeRegister(rd);
            }
            case FCVT_FROM_INTEGER -> {
                values.loadRegister(rs1);
                if (rs2 < 2) {
                    method.visitInsn(L2I); // from W or WU: the low 32 bits
                }
                pushRoundingMode(bits);
                String name = new String[] {"fromInt32", "fromUint32", "fromInt64", "fromUint64"}[rs2];
                call(single, name, "(" + (rs2 < 2 ? "I" : "J") + "I" + STATUS_DESCRIPTOR + ")" + value);
                store(single, rd);
            }
            case FMV_TO_INTEGER -> {
                if (funct3 == 1) { // FCLASS
                    pushOperand(single, rs1, false);
                    call(single, "classify", "(" + value + ")I");
                } else { // FMV.X.W moves the low 32 bits, boxed or not, sign-extended
                    values.loadRegister(FIRST + rs1);
                    if (!single) {
                        values.storeRegister(rd);
                        return;
                    }
                    method.visitInsn(L2I);
                }
                method.visitInsn(I2L);
                values.storeRegister(rd);
            }
            default -> { // FMV_FROM_INTEGER, the decoder's only other OP-FP funct5
                values.loadRegister(rs1);
                if (single) {
                    method.visitInsn(L2I);
                }
                store(single, rd);
            }
        }
    }

    /** Pushes an f register as the format's operand (a single unboxed), its sign flipped if asked. */
    private void pushOperand(boolean single, int register, boolean negate) {
        values.loadRegister(FIRST + register);
        if (single) {
            method.visitMethodInsn(INVOKESTATIC, REGISTERS, "unbox", "(J)I", false);
            if (negate) {
                values.pushInt(Integer.MIN_VALUE);
                method.visitInsn(IXOR);
            }
        } else if (negate) {
            values.pushLong(Long.MIN_VALUE);
            method.visitInsn(LXOR);
        }
    }

    /** Pushes the rounding mode of the rm field (frm, from the readiness local, for 7), then the status. */
    private void pushRoundingMode(int bits) {
        int rm = (bits >>> 12) & 7;
        if (rm == FpRounding.DYNAMIC) {
            method.visitVarInsn(ILOAD, readiness);
            values.pushInt(FloatExecutor.FRM_SHIFT);
            method.visitInsn(IUSHR);
        } else {
            values.pushInt(rm);
        }
        pushStatus();
    }

    private void pushStatus() {
        method.visitFieldInsn(GETSTATIC, className, STATUS_FIELD, STATUS_DESCRIPTOR);
    }

    private void call(boolean single, String name, String descriptor) {
        method.visitMethodInsn(INVOKESTATIC, single ? SINGLE_CLASS : DOUBLE, name, descriptor, false);
    }

    /** Stores the format's result (an int single, NaN-boxed; a long double) into an f register. */
    private void store(boolean single, int register) {
        if (single) {
            storeSingle(register);
        } else {
            storeDouble(register);
        }
    }

    private void storeSingle(int register) {
        method.visitMethodInsn(INVOKESTATIC, REGISTERS, "box", "(I)J", false);
        storeDouble(register);
    }

    private void storeDouble(int register) {
        values.storeRegister(FIRST + register);
        method.visitInsn(ICONST_1);
        method.visitVarInsn(ISTORE, wrote);
    }
}
