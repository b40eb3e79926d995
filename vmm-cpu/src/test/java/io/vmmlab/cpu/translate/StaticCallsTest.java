package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

/** The recorder of a generated method's static calls ({@link StaticCalls}). */
class StaticCallsTest {
    /** A static method {@code run} of a new class, its code begun, through the recorder. */
    private static StaticCalls recordedRunMethod() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC, "Sample", null, "java/lang/Object", null);
        StaticCalls calls = new StaticCalls(writer.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", "()V", null, null));
        calls.visitCode();
        return calls;
    }

    /**
     * The class initializer calls every recorded method with scratch arguments, so a call to a method that may
     * have side effects beyond them is refused when the code is generated.
     */
    @Test
    void aCalleeOutsideTheKnownSideEffectFreeClassesIsRefused() {
        MethodVisitor method = recordedRunMethod();
        method.visitInsn(ICONST_0);

        assertThatThrownBy(() -> method.visitMethodInsn(INVOKESTATIC, "java/lang/System", "exit", "(I)V", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java/lang/System.exit");
    }

    /** A method called from several places is called once by the initializer; methods that differ are not merged. */
    @Test
    void eachCalleeIsCalledOnceByTheInitializer() {
        StaticCalls calls = recordedRunMethod();
        for (String name : new String[] {"abs", "abs", "negateExact", "abs"}) {
            calls.visitInsn(LCONST_0);
            calls.visitMethodInsn(INVOKESTATIC, "java/lang/Math", name, "(J)J", false);
            calls.visitInsn(POP2);
        }
        calls.visitInsn(LCONST_0);
        calls.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "abs", "(I)I", false);
        List<String> called = new ArrayList<>();
        MethodVisitor initializer = new MethodVisitor(ASM9) {
            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
                called.add(owner + "." + name + descriptor);
            }
        };

        calls.emitResolvingCalls(initializer, 0);

        assertThat(called).containsExactly("java/lang/Math.abs(J)J", "java/lang/Math.negateExact(J)J",
                "java/lang/Math.abs(I)I");
    }
}
