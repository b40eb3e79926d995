package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.exec.BitManipulation;
import io.vmmlab.cpu.exec.ScalarCrypto;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.LinkedHashSet;
import java.util.Set;

import static org.objectweb.asm.Opcodes.*;

/**
 * Passes a generated method on to its writer and remembers the static methods it calls, so that the class
 * initializer can call each of them once ({@link #emitResolvingCalls}). HotSpot resolves a call site's method on
 * the site's first execution, and compiles a new region before that: the zero-budget runs that make it compile the
 * region return before any load or store. C1 then cannot inline the RAM accessors (a real call per access in the
 * profiled code), and C2, which counts the call sites' executions in that code's profile, sometimes judged them too
 * rare to inline as well ("low call site frequency"): on the 4x benchmark the CRC loop then made two calls per
 * iteration and ran 30% slower, in about one run in three. Calls from the initializer resolve the methods first.
 */
final class StaticCalls extends MethodVisitor {
    /**
     * A static method the generated code calls. Its own equals and hashCode: a record's generated ones are
     * bootstrapped at run time, generating classes while the first regions are built.
     */
    private record Callee(String owner, String name, String descriptor) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Callee callee && callee.owner.equals(owner) && callee.name.equals(name)
                    && callee.descriptor.equals(descriptor);
        }

        @Override
        public int hashCode() {
            return (owner.hashCode() * 31 + name.hashCode()) * 31 + descriptor.hashCode();
        }
    }

    // io.vmmlab.cpu.fp.FpStatus, as constants: a switch label must be one.
    private static final String STATUS_CLASS = "io/vmmlab/cpu/fp/FpStatus";
    private static final String FLOAT_STATUS = "Lio/vmmlab/cpu/fp/FpStatus;";
    // Room for the widest RAM access, the only array argument of the callees.
    private static final int SCRATCH_BYTES = 8;
    // The classes whose static methods translated code calls: none of them has side effects beyond its arguments.
    private static final Set<String> CALLABLE_OWNERS = Set.of(Type.getInternalName(RamAccess.class),
            MemoryEmitter.UNSAFE_RAM_ACCESS, MemoryEmitter.OFF_HEAP_RAM_ACCESS, Type.getInternalName(Arithmetic.class),
            Type.getInternalName(BitManipulation.class), Type.getInternalName(ScalarCrypto.class),
            "java/lang/Math", "java/lang/Long", FloatEmitter.DOUBLE, FloatEmitter.SINGLE_CLASS, FloatEmitter.REGISTERS);

    private final Set<Callee> callees = new LinkedHashSet<>();

    /**
     * Creates the recorder.
     *
     * @param method the method writer to pass everything on to
     */
    StaticCalls(MethodVisitor method) {
        super(ASM9, method);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (opcode == INVOKESTATIC) {
            if (!CALLABLE_OWNERS.contains(owner)) {
                // The initializer would call it at class definition: only side-effect-free callees qualify.
                throw new IllegalStateException("translated code calls " + owner + "." + name
                        + ", which the class initializer may not call with scratch arguments");
            }
            callees.add(new Callee(owner, name, descriptor));
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    /**
     * Emits one call of each recorded method, with zeros for its numbers, a scratch array for its {@code byte[]}, a
     * fresh status for a floating-point operation's flags and the scratch block of {@link OffHeapRamAccess} for the
     * address of an off-heap access (every callee of translated code does nothing harmful with those: a RAM access
     * then reads or writes scratch bytes, a division divides by zero as RISC-V defines it, an FP operation on zeros
     * raises flags into its own status), dropping the results.
     *
     * @param initializer the class initializer being written
     * @param scratchSlot a free local variable slot of the initializer, for the scratch array
     */
    void emitResolvingCalls(MethodVisitor initializer, int scratchSlot) {
        ValueEmitter.pushInt(initializer, SCRATCH_BYTES);
        initializer.visitIntInsn(NEWARRAY, T_BYTE);
        initializer.visitVarInsn(ASTORE, scratchSlot);
        for (Callee callee : callees) {
            boolean address = callee.owner().equals(MemoryEmitter.OFF_HEAP_RAM_ACCESS);
            for (Type argument : Type.getArgumentTypes(callee.descriptor())) {
                switch (argument.getDescriptor()) {
                    case "J" -> {
                        if (address) {
                            initializer.visitMethodInsn(INVOKESTATIC, MemoryEmitter.OFF_HEAP_RAM_ACCESS, "scratch",
                                    "()J", false);
                        } else {
                            initializer.visitInsn(LCONST_0);
                        }
                        address = false;
                    }
                    case "I" -> initializer.visitInsn(ICONST_0);
                    case "[B" -> initializer.visitVarInsn(ALOAD, scratchSlot);
                    case FLOAT_STATUS -> { // a status of its own: the flags the call raises go nowhere
                        initializer.visitTypeInsn(NEW, STATUS_CLASS);
                        initializer.visitInsn(DUP);
                        initializer.visitMethodInsn(INVOKESPECIAL, STATUS_CLASS, "<init>", "()V", false);
                    }
                    default -> throw new IllegalStateException("no scratch value for " + argument + " in " + callee);
                }
            }
            initializer.visitMethodInsn(INVOKESTATIC, callee.owner(), callee.name(), callee.descriptor(), false);
            switch (Type.getReturnType(callee.descriptor()).getSize()) {
                case 2 -> initializer.visitInsn(POP2);
                case 1 -> initializer.visitInsn(POP);
                default -> {
                    // void
                }
            }
        }
    }
}
