package io.vmmlab.cpu.translate;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.objectweb.asm.Opcodes.*;

/**
 * Places the labels of a region's {@code run} method together with their stack map frames, which the generator
 * knows and so need not be computed: once past its entry check, the method's locals never change type (its fixed
 * locals and the register locals it uses are all set before the first branch that has a frame), so every label has
 * the same locals, and its stack is empty except inside a TLB probe. (Having ASM infer the frames cost about a
 * fifth of the CPU time of building a region, and kept HotSpot's optimizing compiler busy with ASM's own code.)
 */
final class StackFrames {
    private final MethodVisitor method;
    private static final Object[] EMPTY_STACK = {};

    private final Object[] locals;
    private int lastOffset = -1;

    /**
     * Describes the locals of the method.
     *
     * @param method the method being written
     * @param fixed the types of the locals before the register locals, one entry per local as
     *              {@link MethodVisitor#visitFrame} takes them (a long is one {@code LONG} entry)
     * @param firstRegister the slot of x1's local; x2..x31, the sink and f0..f31 follow, two slots each
     * @param registers the guest registers that have a local (set before the first labelled position), in the
     *                  generator's numbering
     */
    StackFrames(MethodVisitor method, Object[] fixed, int firstRegister, BitSet registers) {
        this.method = method;
        List<Object> types = new ArrayList<>(List.of(fixed));
        int slots = 0;
        for (Object type : fixed) {
            slots += type == LONG || type == DOUBLE ? 2 : 1;
        }
        if (slots != firstRegister) {
            throw new IllegalArgumentException("fixed locals take " + slots + " slots, registers start at "
                    + firstRegister);
        }
        int last = registers.length() - 1; // f registers follow the integer ones and the sink (see FloatEmitter)
        for (int r = 1; r <= last; r++) {
            if (registers.get(r)) {
                types.add(LONG);
            } else {
                types.add(TOP);
                types.add(TOP);
            }
        }
        this.locals = types.toArray();
    }

    /**
     * Places a label where the stack is empty.
     *
     * @param label the label (at least one instruction must follow before the next label)
     */
    void place(Label label) {
        place(label, EMPTY_STACK);
    }

    /**
     * Places a label where the stack holds values.
     *
     * @param label the label (at least one instruction must follow before the next label)
     * @param stack the stack's types, bottom first, as {@link MethodVisitor#visitFrame} takes them
     */
    void place(Label label, Object... stack) {
        method.visitLabel(label);
        if (label.getOffset() == lastOffset) { // ASM would write a frame with a negative offset delta
            throw new IllegalStateException("two labels with frames at bytecode offset " + lastOffset);
        }
        lastOffset = label.getOffset();
        method.visitFrame(F_NEW, locals.length, locals, stack.length, stack);
    }
}
