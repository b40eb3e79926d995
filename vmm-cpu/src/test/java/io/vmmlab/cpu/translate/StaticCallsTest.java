package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

/** The recorder of a generated method's static calls ({@link StaticCalls}). */
class StaticCallsTest {
    /**
     * The class initializer calls every recorded method with scratch arguments, so a call to a method that may
     * have side effects beyond them is refused when the code is generated.
     */
    @Test
    void aCalleeOutsideTheKnownSideEffectFreeClassesIsRefused() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC, "Sample", null, "java/lang/Object", null);
        MethodVisitor method = new StaticCalls(writer.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", "()V", null, null));
        method.visitCode();
        method.visitInsn(ICONST_0);

        assertThatThrownBy(() -> method.visitMethodInsn(INVOKESTATIC, "java/lang/System", "exit", "(I)V", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java/lang/System.exit");
    }
}
