package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.HostUnsafe;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.mmu.Tlb;
import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

class CodeGeneratorTest {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final int RAM_SIZE = 1 << 20;

    /**
     * A region's class is one the JVM accepts (its stack map frames are the generator's own) and runs: with no budget
     * it returns at once; with one, its first load misses the empty TLB and it leaves before that instruction, having
     * retired nothing.
     */
    @Test
    void aLoopRegionLoadsAndRuns() throws Throwable {
        long[] tlb = new long[4 * Tlb.LENGTH];
        Arrays.fill(tlb, -1L); // no tag matches
        // ld a1,0(a0); addi a1,a1,1; sd a1,8(a0); bne a1,a2,-12
        Block loop = Blocks.ofWords(0, 0x00053583, 0x00158593, 0x00b53423, 0xfec59ae3);
        byte[] classFile = CodeGenerator.generate(new Block[] {loop}, new AddressRange(RAM_BASE, RAM_SIZE),
                tlb.length, RAM_BASE, false, 0, false);
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile,
                List.of(new byte[RAM_SIZE + 8], tlb), true);
        TranslatedCode code = (TranslatedCode) hidden.findConstructor(hidden.lookupClass(),
                MethodType.methodType(void.class, Block[].class)).invoke(new Block[0]);
        long[] x = new long[64];
        x[10] = RAM_BASE + 0x100; // a0
        RegionExit exit = new RegionExit();

        assertThat(code.run(x, 0, RAM_BASE, 0, 0, exit)).isEqualTo(TranslatedCode.AT_BOUNDARY);
        assertThat(exit.pc).isEqualTo(RAM_BASE);
        assertThat(code.run(x, 0, RAM_BASE, 0, 1000, exit)).isZero(); // member 0, instruction 0
        assertThat(exit.pc).isEqualTo(RAM_BASE);
        assertThat(exit.retired).isZero();
        assertThat(x[11]).isZero(); // a1 untouched
    }

    /**
     * A member no translated path reaches (its predecessor stops at an AMO, which the interpreter runs, before its
     * branch) is still emitted; the JVM verifies that code too, so the method's maximum stack must cover it, not
     * only what the reachable code uses (here a load group's probe, deeper than anything reachable). ASM computes
     * it from every block that has a frame, which the generator gives every label.
     */
    @Test
    void aMemberNoPathReachesStillVerifies() throws Throwable {
        Block entry = Blocks.ofWords(0, addi(A0, A0, 1), amo(0x01, false, A1, A2, A3), bne(A0, A4, 8));
        Block unreachable = Blocks.ofWords(6, ld(RA, SP, 8), ld(S0, SP, 16), bne(RA, S0, -8));
        long[] tlb = new long[4 * Tlb.LENGTH];
        byte[] classFile = CodeGenerator.generate(new Block[] {entry, unreachable},
                new AddressRange(RAM_BASE, RAM_SIZE), tlb.length, RAM_BASE, false, 0, false);
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile,
                List.of(new byte[RAM_SIZE + 8], tlb), true);
        TranslatedCode code = (TranslatedCode) hidden.findConstructor(hidden.lookupClass(),
                MethodType.methodType(void.class, Block[].class)).invoke(new Block[] {entry, unreachable});
        long[] x = new long[64];
        RegionExit exit = new RegionExit();

        assertThat(code.run(x, 0, RAM_BASE, 0, 100, exit)).isEqualTo(1); // member 0, instruction 1: the AMO
        assertThat(exit.retired).isZero();
        assertThat(x[10]).isEqualTo(1); // a0: the addi before it ran
    }

    /**
     * The class initializer calls each static method the region calls, so that HotSpot has resolved them before it
     * compiles the region (see StaticCalls); the RAM accessors among them must touch a scratch array, never the
     * guest's RAM, and the divisions must not throw (they divide zero by zero there). With unchecked accessors, the
     * accesses wider than a byte go through UnsafeRamAccess, the byte accesses still through RamAccess.
     */
    @Test
    void definingARegionCallsItsCalleesWithoutTouchingRam() throws Throwable {
        for (boolean unchecked : new boolean[] {false, true}) {
            Block block = Blocks.ofWords(0, sb(A2, A0, 0), sh(A2, A0, 8), sw(A2, A0, 16), sd(A2, A0, 24),
                    ld(A3, A1, 0), lw(A4, A1, 8), lhu(A5, A1, 16), lbu(T0, A1, 24), div(A3, A2, A4),
                    remu(A4, A2, A3), bne(A0, A1, -40));
            long[] tlb = new long[4 * Tlb.LENGTH];
            byte[] ram = new byte[RAM_SIZE + 8];
            Arrays.fill(ram, (byte) 0x5a);
            byte[] classFile = CodeGenerator.generate(new Block[] {block}, new AddressRange(RAM_BASE, RAM_SIZE),
                    tlb.length, RAM_BASE, unchecked, 0, false);

            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile,
                    List.of(ram, tlb), true);

            assertThat(hidden.lookupClass().getSuperclass()).isEqualTo(TranslatedCode.class);
            byte[] untouched = new byte[RAM_SIZE + 8];
            Arrays.fill(untouched, (byte) 0x5a);
            assertThat(Arrays.mismatch(ram, untouched)).as("first RAM byte changed").isEqualTo(-1);
            Map<String, Set<String>> calls = staticCallsByMethod(classFile);
            String wide = unchecked ? "io/vmmlab/cpu/translate/UnsafeRamAccess" : "io/vmmlab/cpu/translate/RamAccess";
            assertThat(calls.get("run")).as("unchecked: %s", unchecked).contains(wide + ".sd", wide + ".lhu",
                    "io/vmmlab/cpu/translate/RamAccess.sb", "io/vmmlab/cpu/translate/RamAccess.lbu",
                    "io/vmmlab/cpu/translate/Arithmetic.remu");
            assertThat(calls.get("<clinit>")).containsAll(calls.get("run"));
        }
    }

    /**
     * The same for RAM outside the heap: every access goes through OffHeapRamAccess at an absolute address, and the
     * initializer's calls touch its scratch bytes, never the guest's RAM.
     */
    @Test
    void definingAnOffHeapRegionCallsItsCalleesWithoutTouchingRam() throws Throwable {
        Block block = Blocks.ofWords(0, sb(A2, A0, 0), sh(A2, A0, 8), sw(A2, A0, 16), sd(A2, A0, 24),
                ld(A3, A1, 0), lw(A4, A1, 8), lhu(A5, A1, 16), lbu(T0, A1, 24), bne(A0, A1, -32));
        long[] tlb = new long[4 * Tlb.LENGTH];
        OffHeapRam ram = new OffHeapRam(RAM_BASE, RAM_SIZE);
        byte[] pattern = new byte[RAM_SIZE];
        Arrays.fill(pattern, (byte) 0x5a);
        ram.write(RAM_BASE, pattern, 0, RAM_SIZE);
        byte[] classFile = CodeGenerator.generate(new Block[] {block}, ram.range(), tlb.length, RAM_BASE, true,
                ram.hostAddress(), false);

        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile,
                List.of(new byte[0], tlb, ram), true);

        assertThat(hidden.lookupClass().getSuperclass()).isEqualTo(TranslatedCode.class);
        byte[] now = new byte[RAM_SIZE];
        ram.read(RAM_BASE, now, 0, RAM_SIZE);
        assertThat(Arrays.mismatch(now, pattern)).as("first RAM byte changed").isEqualTo(-1);
        Map<String, Set<String>> calls = staticCallsByMethod(classFile);
        String offHeap = "io/vmmlab/cpu/translate/OffHeapRamAccess";
        assertThat(calls.get("run")).contains(offHeap + ".sd", offHeap + ".sb", offHeap + ".lhu", offHeap + ".lbu")
                .noneMatch(callee -> callee.contains("/RamAccess.") || callee.contains("UnsafeRamAccess."));
        assertThat(calls.get("<clinit>")).containsAll(calls.get("run"));
    }

    /**
     * The index mask is the last guard between translated code and host memory: a TLB entry whose addend points
     * past the RAM (which no correct TLB fill makes) lands the store inside the RAM, wrapped by the mask, and not in
     * the tail past it (nor further), on RAM outside the heap and on the RAM array alike.
     */
    @Test
    void theIndexMaskKeepsAStoreThroughAWrongTlbEntryInsideTheRam() throws Throwable {
        sun.misc.Unsafe unsafe = HostUnsafe.unsafe();
        OffHeapRam offHeap = new OffHeapRam(RAM_BASE, RAM_SIZE);
        FlatRam array = new FlatRam(RAM_BASE, RAM_SIZE);

        storeThroughAnAddendPastTheRam(offHeap.range(), List.of(new byte[0], tlbWithAddendPastTheRam(), offHeap),
                offHeap.hostAddress());
        storeThroughAnAddendPastTheRam(array.range(), List.of(array.array(), tlbWithAddendPastTheRam()), 0);

        assertThat(offHeap.read8(RAM_BASE)).isEqualTo(0x77);
        assertThat(unsafe.getByte(offHeap.hostAddress() + RAM_SIZE)).as("the tail past the RAM").isZero();
        assertThat(array.read8(RAM_BASE)).isEqualTo(0x77);
        assertThat(array.array()[RAM_SIZE]).as("the tail past the RAM").isZero();
        offHeap.release();
    }

    /** A user-mode TLB (base 0) whose store entry for the RAM's first page adds the RAM's size. */
    private static long[] tlbWithAddendPastTheRam() {
        long[] tlb = new long[4 * Tlb.LENGTH];
        Arrays.fill(tlb, -1L);
        int entry = Tlb.entry(RAM_BASE);
        tlb[entry + Tlb.STORE_TAG] = RAM_BASE >>> 12;
        tlb[entry + Tlb.STORE_ADDEND] = RAM_SIZE;
        return tlb;
    }

    /** Runs {@code sb a2, 0(a0)} (then a branch not taken) with a0 at the RAM's base and a2 = 0x77. */
    private static void storeThroughAnAddendPastTheRam(AddressRange ram, List<Object> classData, long hostAddress)
            throws Throwable {
        Block block = Blocks.ofWords(0, sb(A2, A0, 0), bne(A0, A0, 8));
        long[] tlb = (long[]) classData.get(1);
        byte[] classFile = CodeGenerator.generate(new Block[] {block}, ram, tlb.length, RAM_BASE, true, hostAddress,
                false);
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile, classData,
                true);
        TranslatedCode code = (TranslatedCode) hidden.findConstructor(hidden.lookupClass(),
                MethodType.methodType(void.class, Block[].class)).invoke(new Block[] {block});
        long[] x = new long[64];
        x[A0] = RAM_BASE;
        x[A2] = 0x77;
        RegionExit exit = new RegionExit();

        assertThat(code.run(x, 0, RAM_BASE, 0, 100, exit)).isEqualTo(TranslatedCode.AT_BOUNDARY);
        assertThat(exit.retired).isEqualTo(2);
    }

    /** The static methods each method of a class file calls (owner.name), by method name. */
    private static Map<String, Set<String>> staticCallsByMethod(byte[] classFile) {
        Map<String, Set<String>> calls = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                Set<String> callees = calls.computeIfAbsent(name, key -> new HashSet<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor,
                                                boolean isInterface) {
                        if (opcode == Opcodes.INVOKESTATIC) {
                            callees.add(owner + "." + callee);
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }
}
