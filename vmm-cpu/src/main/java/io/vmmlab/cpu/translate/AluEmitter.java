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
 *
 * <p>Within a block it knows which registers hold a word, a value that is its own low 32 bits sign-extended (what
 * the word forms, LUI and the comparisons produce), and computes AND, OR and XOR of words in 32 bits, which gives the
 * same 64-bit result. HotSpot then sees 32-bit code where the guest wrote it: a rotation written with SRLIW, SLLIW
 * and OR (hash functions are full of them) becomes one rotate instruction instead of two shifts, two sign extensions
 * and a 64-bit OR.
 */
final class AluEmitter {
    private static final String ARITHMETIC = Type.getInternalName(Arithmetic.class);
    private static final String BIT_MANIPULATION = Type.getInternalName(BitManipulation.class);
    private static final String SCALAR_CRYPTO = Type.getInternalName(ScalarCrypto.class);

    private final MethodVisitor method;
    private final ValueEmitter values;
    // Bit r: register r's local holds a word (see the class comment); x0 always.
    private long words = 1;

    AluEmitter(MethodVisitor method, ValueEmitter values) {
        this.method = method;
        this.values = values;
    }

    /** Forgets what the registers hold: a block starts (control may come from anywhere). */
    void startBlock() {
        words = 1;
    }

    /**
     * Notes that something other than this emitter wrote a register (a load): what it holds is not known to be a
     * word.
     *
     * @param register the register
     */
    void wrote(int register) {
        if (register != 0 && register != Opcodes.SINK) {
            words &= ~(1L << register);
        }
    }

    private boolean word(int register) {
        return (words >>> register & 1) != 0;
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
            case Opcodes.XORI -> bitwiseImmediate(insn, LXOR, IXOR);
            case Opcodes.ORI -> bitwiseImmediate(insn, LOR, IOR);
            case Opcodes.ANDI -> bitwiseImmediate(insn, LAND, IAND);
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
            case Opcodes.XOR -> bitwise(insn, LXOR, IXOR);
            case Opcodes.OR -> bitwise(insn, LOR, IOR);
            case Opcodes.AND -> bitwise(insn, LAND, IAND);
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
        if (insn.rd != 0 && insn.rd != Opcodes.SINK) {
            words = makesWord(insn) ? words | 1L << insn.rd : words & ~(1L << insn.rd);
        }
    }

    /** Tells whether an operation's result is a word (called before its destination is noted). */
    private boolean makesWord(Insn insn) {
        return switch (insn.raw) {
            case Opcodes.LUI, Opcodes.ADDIW, Opcodes.SLLIW, Opcodes.SRLIW, Opcodes.SRAIW, Opcodes.ADDW, Opcodes.SUBW,
                 Opcodes.SLLW, Opcodes.SRLW, Opcodes.SRAW, Opcodes.MULW, Opcodes.DIVW, Opcodes.DIVUW, Opcodes.REMW,
                 Opcodes.REMUW, Opcodes.SLT, Opcodes.SLTU, Opcodes.SLTI, Opcodes.SLTIU -> true;
            case Opcodes.XORI, Opcodes.ORI, Opcodes.ANDI -> word(insn.rs1);
            case Opcodes.XOR, Opcodes.OR, Opcodes.AND -> word(insn.rs1) && word(insn.rs2);
            default -> false;
        };
    }

    /** AND, OR or XOR: in 32 bits when both sources are words (the same result), else in 64. */
    private void bitwise(Insn insn, int longOpcode, int intOpcode) {
        if (word(insn.rs1) && word(insn.rs2)) {
            word(insn, intOpcode);
        } else {
            binary(insn, longOpcode);
        }
    }

    /** ANDI, ORI or XORI (their immediate is a sign-extended 12-bit value, so a word): as {@link #bitwise}. */
    private void bitwiseImmediate(Insn insn, int longOpcode, int intOpcode) {
        if (word(insn.rs1)) {
            values.loadRegister(insn.rs1);
            method.visitInsn(L2I);
            values.pushInt((int) insn.imm);
            method.visitInsn(intOpcode);
            method.visitInsn(I2L);
        } else {
            immediate(insn, longOpcode);
        }
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
