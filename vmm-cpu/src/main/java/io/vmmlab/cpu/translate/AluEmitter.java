package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.BitManipEncoding;
import io.vmmlab.cpu.decode.CryptoEncoding;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.exec.BitManipulation;
import io.vmmlab.cpu.exec.ScalarCrypto;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import static org.objectweb.asm.Opcodes.*;

/**
 * Emits the integer and M-extension operations of a region (see {@link CodeGenerator}): each reads its sources from
 * the register locals, computes with JVM long or int arithmetic (the RV64 word forms truncate, compute in 32 bits
 * and sign-extend, as the ISA manual's "W" instructions do) and writes its destination local. Division and
 * high multiplication call {@link Arithmetic}.
 */
final class AluEmitter {
    private static final String ARITHMETIC = Type.getInternalName(Arithmetic.class);
    private static final String BIT_MANIPULATION = Type.getInternalName(BitManipulation.class);
    private static final String SCALAR_CRYPTO = Type.getInternalName(ScalarCrypto.class);

    private final MethodVisitor method;
    private final ValueEmitter values;

    AluEmitter(MethodVisitor method, ValueEmitter values) {
        this.method = method;
        this.values = values;
    }

    /**
     * Emits one operation.
     *
     * @param insn the instruction (a translatable non-memory, non-control operation)
     * @param delta its block's pc relative to the region's entry pc
     */
    void emit(Insn insn, long delta) {
        int raw = insn.raw;
        switch (raw) {
            case Opcodes.FENCE -> {
                return; // one coherent memory under the JVM's rules, as in the interpreter
            }
            case Opcodes.LUI -> values.pushLong(insn.imm);
            case Opcodes.AUIPC -> values.pushPc(delta + insn.offset + insn.imm);
            case Opcodes.ADDI -> immediate(insn, LADD);
            case Opcodes.XORI -> immediate(insn, LXOR);
            case Opcodes.ORI -> immediate(insn, LOR);
            case Opcodes.ANDI -> immediate(insn, LAND);
            case Opcodes.SLTI -> {
                values.loadRegister(insn.rs1);
                values.pushLong(insn.imm);
                lessThan();
            }
            case Opcodes.SLTIU -> {
                values.loadRegister(insn.rs1);
                values.pushLong(insn.imm);
                lessThanUnsigned();
            }
            case Opcodes.SLLI -> shiftImmediate(insn, LSHL);
            case Opcodes.SRLI -> shiftImmediate(insn, LUSHR);
            case Opcodes.SRAI -> shiftImmediate(insn, LSHR);
            case Opcodes.ADD -> binary(insn, LADD);
            case Opcodes.SUB -> binary(insn, LSUB);
            case Opcodes.XOR -> binary(insn, LXOR);
            case Opcodes.OR -> binary(insn, LOR);
            case Opcodes.AND -> binary(insn, LAND);
            case Opcodes.MUL -> binary(insn, LMUL);
            case Opcodes.SLL -> shift(insn, LSHL);
            case Opcodes.SRL -> shift(insn, LUSHR);
            case Opcodes.SRA -> shift(insn, LSHR);
            case Opcodes.SLT -> {
                values.loadRegister(insn.rs1);
                values.loadRegister(insn.rs2);
                lessThan();
            }
            case Opcodes.SLTU -> {
                values.loadRegister(insn.rs1);
                values.loadRegister(insn.rs2);
                lessThanUnsigned();
            }
            case Opcodes.ADDIW -> {
                values.loadRegister(insn.rs1);
                method.visitInsn(L2I);
                values.pushInt(insn.imm);
                method.visitInsn(IADD);
                method.visitInsn(I2L);
            }
            case Opcodes.SLLIW -> wordShiftImmediate(insn, ISHL);
            case Opcodes.SRLIW -> wordShiftImmediate(insn, IUSHR);
            case Opcodes.SRAIW -> wordShiftImmediate(insn, ISHR);
            case Opcodes.ADDW -> word(insn, IADD);
            case Opcodes.SUBW -> word(insn, ISUB);
            case Opcodes.SLLW -> word(insn, ISHL);
            case Opcodes.SRLW -> word(insn, IUSHR);
            case Opcodes.SRAW -> word(insn, ISHR);
            case Opcodes.MULW -> word(insn, IMUL);
            case Opcodes.MULH -> call(insn, "java/lang/Math", "multiplyHigh");
            case Opcodes.MULHSU -> call(insn, ARITHMETIC, "mulhsu");
            case Opcodes.MULHU -> call(insn, ARITHMETIC, "mulhu");
            case Opcodes.DIV -> call(insn, ARITHMETIC, "div");
            case Opcodes.DIVU -> call(insn, ARITHMETIC, "divu");
            case Opcodes.REM -> call(insn, ARITHMETIC, "rem");
            case Opcodes.REMU -> call(insn, ARITHMETIC, "remu");
            case Opcodes.DIVW -> call(insn, ARITHMETIC, "divw");
            case Opcodes.DIVUW -> call(insn, ARITHMETIC, "divuw");
            case Opcodes.REMW -> call(insn, ARITHMETIC, "remw");
            case Opcodes.REMUW -> call(insn, ARITHMETIC, "remuw");
            case Opcodes.BITMANIP -> bitManipulation(insn);
            case Opcodes.CRYPTO -> cryptography(insn);
            default -> throw new IllegalStateException("not a translatable operation: " + raw);
        }
        values.storeRegister(insn.rd);
    }

    private void immediate(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        values.pushLong(insn.imm);
        method.visitInsn(opcode);
    }

    private void shiftImmediate(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        values.pushInt(insn.imm & 63);
        method.visitInsn(opcode);
    }

    private void binary(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        values.loadRegister(insn.rs2);
        method.visitInsn(opcode);
    }

    private void shift(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        values.loadRegister(insn.rs2);
        method.visitInsn(L2I); // the JVM masks long shift counts to 6 bits, as RV64 does
        method.visitInsn(opcode);
    }

    private void wordShiftImmediate(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        method.visitInsn(L2I);
        values.pushInt(insn.imm & 31);
        method.visitInsn(opcode);
        method.visitInsn(I2L);
    }

    private void word(Insn insn, int opcode) {
        values.loadRegister(insn.rs1);
        method.visitInsn(L2I);
        values.loadRegister(insn.rs2);
        method.visitInsn(L2I);
        method.visitInsn(opcode);
        method.visitInsn(I2L);
    }

    /** A Zba, Zbb or Zbs operation: a call of its own small method, which the JIT inlines. */
    private void bitManipulation(Insn insn) {
        int selector = insn.imm >>> 6;
        values.loadRegister(insn.rs1);
        if (BitManipEncoding.immediateForm(selector)) {
            values.pushLong(insn.imm & 0x3f);
        } else {
            values.loadRegister(insn.rs2);
        }
        method.visitMethodInsn(INVOKESTATIC, BIT_MANIPULATION, BitManipulation.methodName(selector), "(JJ)J", false);
    }

    /**
     * A Zknd, Zkne, Zknh, Zksed or Zksh operation: a call of its own small method, with rs2 and the constant only
     * where it takes them.
     */
    private void cryptography(Insn insn) {
        int selector = insn.imm >>> 6;
        String descriptor = ScalarCrypto.descriptor(selector);
        values.loadRegister(insn.rs1);
        if (CryptoEncoding.readsRs2(selector)) {
            values.loadRegister(insn.rs2);
        }
        if (descriptor.contains("I")) {
            values.pushInt(insn.imm & 0x3f);
        }
        method.visitMethodInsn(INVOKESTATIC, SCALAR_CRYPTO, ScalarCrypto.methodName(selector), descriptor, false);
    }

    private void call(Insn insn, String owner, String name) {
        values.loadRegister(insn.rs1);
        values.loadRegister(insn.rs2);
        method.visitMethodInsn(INVOKESTATIC, owner, name, "(JJ)J", false);
    }

    /** Two longs on the stack: pushes 1L when the first is less than the second, else 0L. */
    private void lessThan() {
        method.visitInsn(LCMP);
        negativeAsOne();
    }

    /** Like {@link #lessThan}, unsigned. */
    private void lessThanUnsigned() {
        values.compareUnsigned();
        negativeAsOne();
    }

    /** Turns a comparison's result (-1, 0 or 1) into the long 1 when it is -1, else 0. */
    private void negativeAsOne() {
        values.pushInt(31);
        method.visitInsn(IUSHR);
        method.visitInsn(I2L);
    }
}
