package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.Tlb;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.objectweb.asm.Opcodes.*;

/**
 * Emits the JVM class for one region (see {@link TranslatedCode}): a subclass with a constructor taking the
 * members and a {@code run} method. The guest registers the region uses live in long locals, loaded on entry and
 * written back at the single exit sequence; every way out (a block boundary outside the region, a block that does
 * not fit the budget, an instruction left to the interpreter, a TLB miss) jumps there with the exit pc and code.
 *
 * <p>Semantics follow the interpreter's hot loop exactly: the same {@link Insn} fields (rebased immediates, load
 * shifts, TLB spans and tag offsets), the same budget rule at block entry, and the same counting (a block's
 * instructions retire together at its terminator; nothing before a fault retires).
 */
final class CodeGenerator {
    /**
     * Internal name prefix of the generated classes, followed by the entry block's physical address in hex (hidden
     * classes get a unique suffix on top). The {@code vmm} launcher names it too, in the JIT option that compiles
     * regions early ({@code CompileThresholdScaling}): keep the two in step.
     */
    static final String CLASS_PREFIX = "io/vmmlab/cpu/translate/Region_";

    private static final String SUPER = Type.getInternalName(TranslatedCode.class);
    private static final String EXIT = Type.getInternalName(RegionExit.class);
    private static final String RUN_DESCRIPTOR = Type.getMethodDescriptor(Type.INT_TYPE, Type.getType(long[].class),
            Type.INT_TYPE, Type.LONG_TYPE, Type.INT_TYPE, Type.INT_TYPE, Type.getType(RegionExit.class));
    /**
     * The static fields holding the RAM's host array and the hart's TLB array, constants for HotSpot (set from the
     * class data, a list of the two), so that it knows their lengths and drops the bounds checks of TLB probes.
     */
    private static final String RAM_FIELD = "RAM";
    private static final String TLB_FIELD = "TLB";
    /**
     * The static field holding the members' instruction counts, which the code subtracts from the remaining budget
     * as blocks retire. Read from an array rather than given as constants: with constant steps HotSpot treats the
     * budget as a counted loop's variable in every loop of the region, and the loop-limit checks it adds for that
     * failed at run time in most regions, each time throwing the compiled code away (13 of ~45 deoptimizations on
     * bench.elf); an array element is not a constant to it (the load becomes a memory operand of the subtraction).
     * HotSpot then does not unroll the guest's loops either, which one-block loops feel (see vmm-cpu's README).
     */
    private static final String LENGTHS_FIELD = "LENGTHS";
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles",
            "classDataAt", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
            + "Ljava/lang/Object;", false);
    private static final String CONSTRUCTOR_DESCRIPTOR = Type.getMethodDescriptor(Type.VOID_TYPE,
            Type.getType(Block[].class));

    // Local variable slots of run().
    private static final int X = 1;
    private static final int TLB_BASE = 2;
    private static final int PC = 3;
    private static final int RETIRED = 5;
    private static final int BUDGET = 6;
    private static final int EXIT_OBJECT = 7;
    private static final int EXIT_PC = 8;
    private static final int EXIT_CODE = 10;
    private static final int ADDEND = 11;
    private static final int REMAINING = 13;
    private static final int UNTRANSLATED = 14;
    private static final int FLOAT_READINESS = 15;
    private static final int FLOAT_WROTE = 16;
    private static final int FIRST_REGISTER = 17;

    private final String className;
    private final Block[] members;
    private final AddressRange ram;
    private final int tlbBaseMask;
    private final int entryOffset;
    private final boolean unchecked;
    private final long hostAddress;
    private final boolean floats;
    private final Label[] memberLabels;
    private final Map<Long, Label> stubs = new LinkedHashMap<>();
    private final Map<Label, long[]> stubTargets = new LinkedHashMap<>();
    private final Label exitLabel = new Label();
    private MethodVisitor method;
    private ValueEmitter values;
    private AluEmitter alu;
    private MemoryEmitter memory;
    private FloatEmitter floatEmitter;
    private StackFrames frames;

    private CodeGenerator(Block[] members, AddressRange ram, int tlbLength, long physicalPc, boolean unchecked,
                          long hostAddress, boolean floats) {
        if (Integer.bitCount(tlbLength) != 1 || tlbLength < Tlb.LENGTH) {
            throw new IllegalArgumentException("the TLB array must hold a power of two of TLBs: " + tlbLength);
        }
        this.className = CLASS_PREFIX + Long.toHexString(physicalPc);
        this.members = members;
        this.ram = ram;
        this.tlbBaseMask = tlbLength - Tlb.LENGTH;
        this.entryOffset = members[0].startSlot << 1;
        this.unchecked = unchecked;
        this.hostAddress = hostAddress;
        this.floats = floats;
        this.memberLabels = new Label[members.length];
        for (int i = 0; i < members.length; i++) {
            memberLabels[i] = new Label();
        }
    }

    /**
     * Generates the class file of a region.
     *
     * @param members the region's blocks, entry first
     * @param ram the guest physical addresses of the RAM (its host array holds at least that many bytes)
     * @param tlbLength the length of the hart's TLB array ({@code Mmu.tlbData}: a power of two of TLBs)
     * @param physicalPc the entry block's physical address, for the class name (profilers show it)
     * @param unchecked whether loads and stores wider than a byte use {@link UnsafeRamAccess}: only where
     *                  {@link UnsafeRamAccess#covers} says so for the RAM's host array
     * @param hostAddress 0 for RAM in a host array; else the host address of RAM outside the Java heap, which loads
     *                    and stores then reach through {@link OffHeapRamAccess} (only where
     *                    {@link OffHeapRamAccess#covers} says so)
     * @param floats whether F and D instructions are translated (see {@link FloatEmitter})
     * @return the class file bytes; its class data must be the list of the RAM's host array (an empty one for RAM
     *         outside the heap), the TLB array and, when {@code floats}, the hart's
     *         {@link io.vmmlab.cpu.exec.FloatExecutor} third; it may hold more (nothing reads it)
     */
    static byte[] generate(Block[] members, AddressRange ram, int tlbLength, long physicalPc, boolean unchecked,
                           long hostAddress, boolean floats) {
        return new CodeGenerator(members, ram, tlbLength, physicalPc, unchecked, hostAddress, floats).emitClass();
    }

    /**
     * Tells whether the translator emits code for an instruction; others end the translated path and run on the
     * interpreter: SYSTEM instructions, AMOs, H-extension loads and stores, illegal encodings, the jumps that
     * must check their target's alignment (no C extension), and F and D instructions unless {@code floats}.
     *
     * @param insn the instruction
     * @param floats whether F and D instructions are translated
     * @return true when translated
     */
    static boolean translatable(Insn insn, boolean floats) {
        switch (insn.op) {
            case Opcodes.MEM, Opcodes.MULHX, Opcodes.DIVX, Opcodes.END, Opcodes.JAL, Opcodes.JALR, Opcodes.BEQ,
                 Opcodes.BNE, Opcodes.BLT, Opcodes.BGE, Opcodes.BLTU, Opcodes.BGEU, Opcodes.LUI, Opcodes.AUIPC,
                 Opcodes.FENCE, Opcodes.BITMANIP, Opcodes.CRYPTO:
                return true;
            case Opcodes.FLOAT:
                return floats;
            default:
                return insn.op >= Opcodes.ADDI && insn.op <= Opcodes.REMUW;
        }
    }

    private byte[] emitClass() {
        // The generator gives the stack map frames itself (StackFrames); ASM computes only the maximum stack.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, className, null, SUPER, null);
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, RAM_FIELD, "[B", null, null).visitEnd();
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, TLB_FIELD, "[J", null, null).visitEnd();
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, LENGTHS_FIELD, "[I", null, null).visitEnd();
        if (floats) {
            FloatEmitter.emitFields(writer);
        }
        MethodVisitor constructor = writer.visitMethod(ACC_PUBLIC, "<init>", CONSTRUCTOR_DESCRIPTOR, null, null);
        constructor.visitCode();
        constructor.visitVarInsn(ALOAD, 0);
        constructor.visitVarInsn(ALOAD, 1);
        constructor.visitMethodInsn(INVOKESPECIAL, SUPER, "<init>", CONSTRUCTOR_DESCRIPTOR, false);
        constructor.visitInsn(RETURN);
        constructor.visitMaxs(0, 0);
        constructor.visitEnd();
        StaticCalls calls = new StaticCalls(writer.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", RUN_DESCRIPTOR, null,
                null));
        method = calls;
        method.visitCode();
        values = new ValueEmitter(method, PC, FIRST_REGISTER);
        alu = new AluEmitter(method, values);
        emitRun();
        method.visitMaxs(0, 0);
        method.visitEnd();
        emitInitializer(writer, calls);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * Emits the class initializer: sets the constants (see {@link #RAM_FIELD}, {@link #LENGTHS_FIELD}), then calls
     * each static method {@code run} calls, so that those method references are resolved before HotSpot compiles
     * {@code run} (see {@link StaticCalls}).
     */
    private void emitInitializer(ClassWriter writer, StaticCalls calls) {
        MethodVisitor initializer = writer.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        initializer.visitCode();
        initializer.visitLdcInsn(new ConstantDynamic("_", "[B", CLASS_DATA_AT, 0));
        initializer.visitFieldInsn(PUTSTATIC, className, RAM_FIELD, "[B");
        initializer.visitLdcInsn(new ConstantDynamic("_", "[J", CLASS_DATA_AT, 1));
        initializer.visitFieldInsn(PUTSTATIC, className, TLB_FIELD, "[J");
        if (floats) {
            initializer.visitLdcInsn(new ConstantDynamic("_", FloatEmitter.EXECUTOR_DESCRIPTOR, CLASS_DATA_AT, 2));
            FloatEmitter.emitFieldValues(initializer, className);
        }
        ValueEmitter.pushInt(initializer, members.length);
        initializer.visitIntInsn(NEWARRAY, T_INT);
        for (int m = 0; m < members.length; m++) {
            initializer.visitInsn(DUP);
            ValueEmitter.pushInt(initializer, m);
            ValueEmitter.pushInt(initializer, members[m].length);
            initializer.visitInsn(IASTORE);
        }
        initializer.visitFieldInsn(PUTSTATIC, className, LENGTHS_FIELD, "[I");
        calls.emitResolvingCalls(initializer, 0);
        initializer.visitInsn(RETURN);
        initializer.visitMaxs(0, 0);
        initializer.visitEnd();
    }

    private void emitRun() {
        BitSet used = new BitSet();
        BitSet written = new BitSet();
        boolean hasFloats = false;
        for (Block block : members) {
            for (Insn insn : block.insns) {
                if (!translatable(insn, floats)) {
                    break;
                }
                if (insn.op == Opcodes.FLOAT) {
                    // Its Insn names no registers: its integer and f registers come from its bits.
                    FloatEmitter.registers(insn, used, written);
                    hasFloats = true;
                    continue;
                }
                used.set(insn.rs1);
                used.set(insn.rs2);
                used.set(insn.rd);
                written.set(insn.rd);
            }
        }
        used.clear(0);
        used.clear(Opcodes.SINK);
        written.clear(0);
        written.clear(Opcodes.SINK);
        frames = new StackFrames(method, new Object[] {className, "[J", INTEGER, LONG, INTEGER, INTEGER, EXIT, LONG,
            INTEGER, LONG, INTEGER, INTEGER, INTEGER, INTEGER}, FIRST_REGISTER, used);
        memory = new MemoryEmitter(method, values, frames, className, TLB_FIELD, RAM_FIELD, ram, TLB_BASE,
                UNTRANSLATED, ADDEND, unchecked, hostAddress);
        floatEmitter = new FloatEmitter(method, values, memory, className, FLOAT_READINESS, FLOAT_WROTE);
        // Every local is set before the first branch, so all labels share one frame (see StackFrames).
        method.visitVarInsn(ILOAD, TLB_BASE);
        values.pushInt(Mmu.UNTRANSLATED_RAM);
        method.visitInsn(IAND);
        method.visitVarInsn(ISTORE, UNTRANSLATED);
        // The TLB base is a multiple of Tlb.LENGTH inside the array; masking lets HotSpot see that too.
        method.visitVarInsn(ILOAD, TLB_BASE);
        values.pushInt(tlbBaseMask);
        method.visitInsn(IAND);
        method.visitVarInsn(ISTORE, TLB_BASE);
        // Instructions the run may still retire; counted down as blocks retire (exit.retired = budget - remaining).
        method.visitVarInsn(ILOAD, BUDGET);
        method.visitVarInsn(ILOAD, RETIRED);
        method.visitInsn(ISUB);
        method.visitVarInsn(ISTORE, REMAINING);
        method.visitInsn(LCONST_0);
        method.visitVarInsn(LSTORE, EXIT_PC);
        method.visitInsn(ICONST_0);
        method.visitVarInsn(ISTORE, EXIT_CODE);
        method.visitInsn(LCONST_0);
        method.visitVarInsn(LSTORE, ADDEND);
        if (hasFloats) {
            // Whether F/D instructions may run: asked once, it cannot change meanwhile. The f registers below come
            // from the hart's own array, not an argument: the translator's warm-up runs (on another thread, with
            // an array of registers of their own) read them but change nothing, since they return at the next check.
            floatEmitter.emitReadiness();
        } else {
            method.visitInsn(ICONST_0);
        }
        method.visitVarInsn(ISTORE, FLOAT_READINESS);
        method.visitInsn(ICONST_0);
        method.visitVarInsn(ISTORE, FLOAT_WROTE);
        for (int r = used.nextSetBit(1); r >= 0; r = used.nextSetBit(r + 1)) {
            if (r >= FloatEmitter.FIRST) {
                floatEmitter.emitLoadRegister(r);
                continue;
            }
            method.visitVarInsn(ALOAD, X);
            values.pushInt(r);
            method.visitInsn(LALOAD);
            method.visitVarInsn(LSTORE, values.slot(r));
        }
        // No room for the entry block (the driver checks first; the translator's zero-budget runs, which make the
        // JVM compile the method before real use, do not): return at once, changing nothing.
        method.visitVarInsn(ILOAD, REMAINING);
        values.pushInt(members[0].length);
        method.visitJumpInsn(IF_ICMPGE, memberLabels[0]);
        method.visitVarInsn(ALOAD, EXIT_OBJECT);
        method.visitVarInsn(LLOAD, PC);
        method.visitFieldInsn(PUTFIELD, EXIT, "pc", "J");
        method.visitVarInsn(ALOAD, EXIT_OBJECT);
        method.visitVarInsn(ILOAD, RETIRED);
        method.visitFieldInsn(PUTFIELD, EXIT, "retired", "I");
        values.pushInt(TranslatedCode.AT_BOUNDARY);
        method.visitInsn(IRETURN);
        for (int m = 0; m < members.length; m++) {
            frames.place(memberLabels[m]);
            emitBlock(m);
        }
        for (Map.Entry<Label, long[]> stub : stubTargets.entrySet()) {
            frames.place(stub.getKey());
            values.pushPc(stub.getValue()[0]);
            method.visitVarInsn(LSTORE, EXIT_PC);
            values.pushInt((int) stub.getValue()[1]);
            method.visitVarInsn(ISTORE, EXIT_CODE);
            method.visitJumpInsn(GOTO, exitLabel);
        }
        frames.place(exitLabel);
        for (int r = written.nextSetBit(1); r >= 0; r = written.nextSetBit(r + 1)) {
            if (r >= FloatEmitter.FIRST) {
                floatEmitter.emitStoreRegister(r);
                continue;
            }
            method.visitVarInsn(ALOAD, X);
            values.pushInt(r);
            method.visitVarInsn(LLOAD, values.slot(r));
            method.visitInsn(LASTORE);
        }
        if (hasFloats) {
            floatEmitter.emitSettle();
        }
        // The region's own count of instructions run (TranslatedCode.countRun): budget - remaining - retired.
        method.visitVarInsn(ALOAD, 0);
        method.visitVarInsn(ILOAD, BUDGET);
        method.visitVarInsn(ILOAD, REMAINING);
        method.visitInsn(ISUB);
        method.visitVarInsn(ILOAD, RETIRED);
        method.visitInsn(ISUB);
        method.visitMethodInsn(INVOKEVIRTUAL, SUPER, "countRun", "(I)V", false);
        method.visitVarInsn(ALOAD, EXIT_OBJECT);
        method.visitVarInsn(LLOAD, EXIT_PC);
        method.visitFieldInsn(PUTFIELD, EXIT, "pc", "J");
        method.visitVarInsn(ALOAD, EXIT_OBJECT);
        method.visitVarInsn(ILOAD, BUDGET);
        method.visitVarInsn(ILOAD, REMAINING);
        method.visitInsn(ISUB);
        method.visitFieldInsn(PUTFIELD, EXIT, "retired", "I");
        method.visitVarInsn(ILOAD, EXIT_CODE);
        method.visitInsn(IRETURN);
    }

    /** Subtracts member {@code m}'s instructions from the remaining budget (see {@link #LENGTHS_FIELD}). */
    private void retire(int m) {
        method.visitVarInsn(ILOAD, REMAINING);
        method.visitFieldInsn(GETSTATIC, className, LENGTHS_FIELD, "[I");
        values.pushInt(m);
        method.visitInsn(IALOAD);
        method.visitInsn(ISUB);
        method.visitVarInsn(ISTORE, REMAINING);
    }

    /** The pc of member {@code m} relative to the entry pc. */
    private long delta(int m) {
        return (members[m].startSlot << 1) - entryOffset;
    }

    private void emitBlock(int m) {
        Block block = members[m];
        long delta = delta(m);
        Insn[] insns = block.insns;
        int translated = 0;
        while (translated < insns.length && translatable(insns[translated], floats)) {
            translated++;
        }
        MemoryEmitter.Groups groups = MemoryEmitter.groups(insns, translated);
        alu.startBlock();
        for (int p = 0; p < insns.length; p++) {
            Insn insn = insns[p];
            if (p == translated) {
                method.visitJumpInsn(GOTO, stub(delta, m << 8 | insn.index));
                return;
            }
            switch (insn.op) {
                case Opcodes.END -> {
                    retire(m);
                    transition(delta + insn.offset);
                    return;
                }
                case Opcodes.JAL -> {
                    retire(m);
                    values.pushPc(delta + insn.aux);
                    values.storeRegister(insn.rd);
                    transition(delta + insn.imm);
                    return;
                }
                case Opcodes.JALR -> {
                    retire(m);
                    values.loadRegister(insn.rs1);
                    values.pushLong(insn.imm);
                    method.visitInsn(LADD);
                    values.pushLong(~1L);
                    method.visitInsn(LAND);
                    method.visitVarInsn(LSTORE, EXIT_PC);
                    values.pushPc(delta + insn.aux);
                    values.storeRegister(insn.rd);
                    method.visitInsn(ICONST_M1);
                    method.visitVarInsn(ISTORE, EXIT_CODE);
                    method.visitJumpInsn(GOTO, exitLabel);
                    return;
                }
                case Opcodes.BEQ, Opcodes.BNE, Opcodes.BLT, Opcodes.BGE, Opcodes.BLTU, Opcodes.BGEU -> {
                    retire(m);
                    emitBranch(insn, delta);
                    return;
                }
                case Opcodes.MEM -> {
                    if (groups.starts(p)) {
                        memory.emitProbe(insn, groups.low()[p], groups.high()[p], stub(delta, m << 8 | insn.index));
                    }
                    memory.emitAccess(insn);
                    alu.wrote(insn.rd); // a load's value (a store's rd is the sink)
                }
                case Opcodes.FLOAT -> {
                    floatEmitter.emit(insn, stub(delta, m << 8 | insn.index));
                    alu.startBlock(); // it may write an integer register (FMV.X.W, FCVT, FEQ...)
                }
                default -> alu.emit(insn, delta);
            }
        }
    }

    private void emitBranch(Insn insn, long delta) {
        boolean unsigned = insn.op == Opcodes.BLTU || insn.op == Opcodes.BGEU;
        values.loadRegister(insn.rs1);
        values.loadRegister(insn.rs2);
        if (unsigned) {
            // One unsigned comparison once compiled (offsetting both by 2^63 left HotSpot two XORs and a constant).
            values.compareUnsigned();
        } else {
            method.visitInsn(LCMP);
        }
        int jump = switch (insn.op) {
            case Opcodes.BEQ -> IFEQ;
            case Opcodes.BNE -> IFNE;
            case Opcodes.BLT, Opcodes.BLTU -> IFLT;
            default -> IFGE;
        };
        Label taken = new Label();
        method.visitJumpInsn(jump, taken);
        transition(delta + insn.aux);
        frames.place(taken);
        transition(delta + insn.imm);
    }

    /**
     * Goes on at a pc (relative to the entry): inside the region when a member starts there and fits the budget,
     * else out through a boundary exit.
     */
    private void transition(long targetDelta) {
        long pageOffset = entryOffset + targetDelta;
        for (int k = 0; k < members.length; k++) {
            if (pageOffset == members[k].startSlot << 1) {
                method.visitVarInsn(ILOAD, REMAINING);
                values.pushInt(members[k].length);
                method.visitJumpInsn(IF_ICMPLT, stub(targetDelta, TranslatedCode.AT_BOUNDARY));
                method.visitJumpInsn(GOTO, memberLabels[k]);
                return;
            }
        }
        method.visitJumpInsn(GOTO, stub(targetDelta, TranslatedCode.AT_BOUNDARY));
    }

    private Label stub(long targetDelta, int code) {
        long key = targetDelta << 20 ^ (code & 0xfffffL);
        Label label = stubs.get(key);
        if (label == null) {
            label = new Label();
            stubs.put(key, label);
            stubTargets.put(label, new long[] {targetDelta, code});
        }
        return label;
    }
}
