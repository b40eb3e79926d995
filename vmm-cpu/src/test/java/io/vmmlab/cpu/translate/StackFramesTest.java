package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

class StackFramesTest {
    /** Two frames at one bytecode offset would make ASM write a broken stack map table: refused at once. */
    @Test
    void twoLabelsWithFramesAtOneOffsetAreRefused() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC, "Sample", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", "(I)V", null, null);
        method.visitCode();
        StackFrames frames = new StackFrames(method, new Object[] {INTEGER}, 1, new BitSet());
        method.visitInsn(NOP);
        frames.place(new Label());

        assertThatThrownBy(() -> frames.place(new Label())).isInstanceOf(IllegalStateException.class);
    }
}
