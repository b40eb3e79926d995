package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Opcodes;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * Pushes values in a region's {@code run} method: guest registers (x0 reads zero; writes to x0 or the sink are
 * dropped), pc-relative values and constants in their shortest JVM form.
 */
final class ValueEmitter {
    private final MethodVisitor method;
    private final int pc;
    private final int firstRegister;

    /**
     * Creates the emitter.
     *
     * @param method the method being written
     * @param pc local slot of the entry pc (a long)
     * @param firstRegister local slot of x1; x2..x31 follow, two slots each
     */
    ValueEmitter(MethodVisitor method, int pc, int firstRegister) {
        this.method = method;
        this.pc = pc;
        this.firstRegister = firstRegister;
    }

    /** Returns the local slot of guest register x1..x31 (and of the f registers, numbered on from 33). */
    int slot(int register) {
        return firstRegister + 2 * (register - 1);
    }

    /** Pushes a guest register (a long). */
    void loadRegister(int register) {
        if (register == 0) {
            method.visitInsn(LCONST_0);
        } else {
            method.visitVarInsn(LLOAD, slot(register));
        }
    }

    /** Pops a long into a guest register. */
    void storeRegister(int register) {
        if (register == 0 || register == Opcodes.SINK) {
            method.visitInsn(POP2);
        } else {
            method.visitVarInsn(LSTORE, slot(register));
        }
    }

    /** Pushes the entry pc plus a constant. */
    void pushPc(long delta) {
        method.visitVarInsn(LLOAD, pc);
        if (delta != 0) {
            pushLong(delta);
            method.visitInsn(LADD);
        }
    }

    /** Pushes a long constant. */
    void pushLong(long value) {
        if (value == 0) {
            method.visitInsn(LCONST_0);
        } else if (value == 1) {
            method.visitInsn(LCONST_1);
        } else {
            method.visitLdcInsn(value);
        }
    }

    /**
     * Compares the two longs on the stack as unsigned values, leaving -1, 0 or 1 ({@code Long.compareUnsigned}, which
     * HotSpot compiles to one machine comparison).
     */
    void compareUnsigned() {
        method.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
    }

    /** Pushes an int constant. */
    void pushInt(int value) {
        pushInt(method, value);
    }

    /** Pushes an int constant in any method. */
    static void pushInt(MethodVisitor visitor, int value) {
        if (value >= -1 && value <= 5) {
            visitor.visitInsn(ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            visitor.visitIntInsn(BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            visitor.visitIntInsn(SIPUSH, value);
        } else {
            visitor.visitLdcInsn(value);
        }
    }
}
