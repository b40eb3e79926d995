package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.cpu.decode.Insn;
import io.vmmlab.cpu.decode.Opcodes;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.Tlb;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.Arrays;

import static org.objectweb.asm.Opcodes.*;

/**
 * Emits a region's loads and stores (see {@link CodeGenerator}): a probe of the data TLB, then the RAM's host array
 * through {@link RamAccess}, or for accesses wider than a byte through {@link UnsafeRamAccess} where the generator
 * is told that it covers the array; or, for RAM outside the Java heap, its host address through
 * {@link OffHeapRamAccess}.
 *
 * <p>One probe may serve several accesses: a <em>group</em> is a run of loads (or of stores) in one block that use
 * the same base register, which nothing between them writes, and together touch at most {@link #GROUP_SPAN} bytes
 * (a function's register saves off {@code sp}, a structure's fields off one pointer). The probe looks up the entry
 * of the group's last byte and compares its tag with the page of the group's first byte, so a hit proves that every
 * access of the group lies in that one RAM page (as for a single access, where the same rule rejects accesses that
 * cross a page). A miss leaves the region before the group's first access, which nothing has changed yet; the
 * interpreter runs that instruction, and the rest of the block, as it does for any miss. In the machine-mode TLB
 * ({@link Mmu#MACHINE_TLB_BASE}) every addend is 0, so there a hit uses 0 instead of loading it: the data's address
 * then depends on the base register alone, not on a second load (pointer-chasing loops ran 35% faster). When the
 * hart also says that no device window covers RAM ({@link Mmu#UNTRANSLATED_RAM}), a load group skips the probe: a
 * range check proves that all of it lies in RAM, which it reads at its own address (byte loops ran 12-17% faster;
 * stores keep their probe, whose tag also marks pages that hold decoded code).
 *
 * <p>The RAM index is masked with the smallest all-ones mask that covers the RAM's size. For an index the TLB
 * produced this changes nothing (it lies inside the RAM), but it bounds every index by a constant, so where the
 * host array is longer than the mask by at least an access's width (FlatRam keeps such a tail) HotSpot drops the
 * array bounds check (for other sizes the mask exceeds the array and the check stays).
 */
final class MemoryEmitter {
    /** Most bytes a group's accesses may span (small, so that a group rarely straddles a page). */
    static final int GROUP_SPAN = 128;

    private static final String RAM_ACCESS = Type.getInternalName(RamAccess.class);
    // By name: the class refers to sun.misc.Unsafe, which a JVM without the jdk.unsupported module lacks.
    static final String UNSAFE_RAM_ACCESS = "io/vmmlab/cpu/translate/UnsafeRamAccess";
    static final String OFF_HEAP_RAM_ACCESS = "io/vmmlab/cpu/translate/OffHeapRamAccess";

    private final MethodVisitor method;
    private final ValueEmitter values;
    private final StackFrames frames;
    private final String className;
    private final String tlbField;
    private final String ramField;
    private final long ramBase;
    private final long ramSize;
    private final int ramMask;
    private final int tlbBase;
    private final int untranslated;
    private final int addend;
    private final String wideAccess;
    private final long hostAddress;

    /**
     * Creates the emitter.
     *
     * @param method the method being written
     * @param values pushes registers and constants
     * @param frames places labels with their stack map frames
     * @param className the generated class, which holds the arrays in static fields
     * @param tlbField the static field with the hart's TLB array ({@code long[]})
     * @param ramField the static field with the RAM's host array ({@code byte[]})
     * @param ram the guest physical addresses of the RAM
     * @param tlbBase local slot (int) of the current TLB's base in the TLB array
     * @param untranslated local slot (int) holding {@link Mmu#UNTRANSLATED_RAM} when it applies, else 0
     * @param addend local slot (long) for the addend of the current group
     * @param unchecked whether accesses wider than a byte use {@link UnsafeRamAccess} (only where
     *                  {@link UnsafeRamAccess#covers} says so for the RAM's host array and {@link #indexMask})
     * @param hostAddress 0 when the RAM is the host array in {@code ramField}; else the host address of an off-heap
     *                    RAM, which every access then reaches through {@link OffHeapRamAccess} (only where
     *                    {@link OffHeapRamAccess#covers} says so for its block and {@link #indexMask})
     */
    MemoryEmitter(MethodVisitor method, ValueEmitter values, StackFrames frames, String className, String tlbField,
                  String ramField, AddressRange ram, int tlbBase, int untranslated, int addend, boolean unchecked,
                  long hostAddress) {
        this.method = method;
        this.values = values;
        this.frames = frames;
        this.className = className;
        this.tlbField = tlbField;
        this.ramField = ramField;
        this.ramBase = ram.base();
        // What the shortcut of untranslated loads may reach: the TLB maps whole pages of RAM only, so a partial page
        // at either end is not RAM (FlatRam has none; with an unaligned base the shortcut is not taken at all).
        this.ramSize = (ram.base() & 0xfff) == 0 ? ram.size() & ~0xfffL : 0;
        this.ramMask = indexMask(ram.size());
        this.tlbBase = tlbBase;
        this.untranslated = untranslated;
        this.addend = addend;
        this.wideAccess = unchecked ? UNSAFE_RAM_ACCESS : RAM_ACCESS;
        this.hostAddress = hostAddress;
    }

    /**
     * Returns the smallest mask of the form {@code 2^k - 1} that keeps every index below {@code size}.
     *
     * @param size the RAM's size in bytes
     * @return the mask
     */
    static int indexMask(long size) {
        long highest = Math.max(size - 1, 1);
        return (int) Math.min(Integer.MAX_VALUE, Long.highestOneBit(highest) * 2 - 1);
    }

    /** Returns the bytes a load or store touches. */
    static int size(Insn insn) {
        return isLoad(insn) ? (64 - insn.aux) / 8 : insn.span + 1;
    }

    private static boolean isLoad(Insn insn) {
        return insn.sub == Opcodes.MEM_LOAD || insn.sub == Opcodes.MEM_LOADU;
    }

    /**
     * A block's memory groups.
     *
     * @param first for each instruction, the index of its group's first access, or -1 for non-memory instructions
     * @param low at a group's first access, the group's lowest byte relative to the base register
     * @param high at a group's first access, the group's highest byte relative to the base register
     */
    record Groups(int[] first, long[] low, long[] high) {
        /** Tells whether a group starts at instruction {@code p}. */
        boolean starts(int p) {
            return first[p] == p;
        }
    }

    /**
     * Splits the memory accesses of a block into groups.
     *
     * @param insns the block's instructions
     * @param translated how many of them are translated (the rest are left to the interpreter)
     * @return the groups
     */
    static Groups groups(Insn[] insns, int translated) {
        Groups groups = new Groups(new int[insns.length], new long[insns.length], new long[insns.length]);
        Arrays.fill(groups.first(), -1);
        for (int p = 0; p < translated; p++) {
            Insn first = insns[p];
            if (first.op != Opcodes.MEM || groups.first()[p] >= 0) {
                continue;
            }
            groups.first()[p] = p;
            long low = first.disp;
            long high = first.disp + size(first) - 1L;
            boolean open = !writes(first, first.rs1);
            for (int q = p + 1; q < translated && open; q++) {
                Insn next = insns[q];
                if (next.op == Opcodes.MEM) {
                    long nextLow = Math.min(low, next.disp);
                    long nextHigh = Math.max(high, next.disp + size(next) - 1L);
                    if (next.rs1 != first.rs1 || next.kind != first.kind || nextHigh - nextLow >= GROUP_SPAN) {
                        break;
                    }
                    groups.first()[q] = p;
                    low = nextLow;
                    high = nextHigh;
                }
                // A floating-point instruction ends the group: it may write an integer register its Insn does not
                // name (FCVT.L.D, FEQ, FMV.X.D ...), and an FP load's or store's own probe overwrites the addend.
                open = next.op != Opcodes.FLOAT && !writes(next, first.rs1);
            }
            groups.low()[p] = low;
            groups.high()[p] = high;
        }
        return groups;
    }

    /** Tells whether an instruction writes a register (x0 is never written). */
    private static boolean writes(Insn insn, int register) {
        boolean hasDestination = insn.op != Opcodes.MEM || isLoad(insn);
        return register != 0 && hasDestination && insn.rd == register;
    }

    /**
     * Emits the TLB probe of a group, which leaves its addend in the addend local or jumps to {@code miss}.
     *
     * @param leader the group's first access
     * @param low the group's lowest byte relative to the base register
     * @param high the group's highest byte relative to the base register
     * @param miss where a miss goes (an exit before the first access)
     */
    void emitProbe(Insn leader, long low, long high, Label miss) {
        Label done = new Label();
        if (isLoad(leader) && ramSize > high - low) {
            emitUntranslatedLoads(leader, low, high, miss, done);
        }
        // entry = tlbBase + ((int) (base + high) >>> 10 & 0xffc) + kind, the position of Tlb.entry(base + high)
        method.visitFieldInsn(GETSTATIC, className, tlbField, "[J");
        method.visitVarInsn(ILOAD, tlbBase);
        address(leader.rs1, high);
        method.visitInsn(L2I);
        values.pushInt(10);
        method.visitInsn(IUSHR);
        values.pushInt(Tlb.MASK << 2);
        method.visitInsn(IAND);
        method.visitInsn(IADD);
        if (leader.kind != 0) {
            values.pushInt(leader.kind);
            method.visitInsn(IADD);
        }
        method.visitInsn(DUP2); // the array and the position again, for the addend
        method.visitInsn(LALOAD);
        address(leader.rs1, low);
        values.pushInt(12);
        method.visitInsn(LUSHR);
        method.visitInsn(LCMP);
        Label hit = new Label();
        method.visitJumpInsn(IFEQ, hit);
        method.visitInsn(POP2);
        method.visitJumpInsn(GOTO, miss);
        frames.place(hit, "[J", INTEGER); // the TLB array and the entry's position
        // In the machine-mode TLB every addend is 0: the access's index then depends on the address alone.
        Label translated = new Label();
        Label machine = new Label();
        method.visitVarInsn(ILOAD, tlbBase);
        values.pushInt(Mmu.MACHINE_TLB_BASE);
        method.visitJumpInsn(IF_ICMPNE, translated);
        method.visitInsn(POP2);
        method.visitInsn(LCONST_0);
        method.visitJumpInsn(GOTO, machine);
        frames.place(translated, "[J", INTEGER);
        method.visitInsn(ICONST_1);
        method.visitInsn(IADD);
        method.visitInsn(LALOAD);
        frames.place(machine, LONG); // the addend
        method.visitVarInsn(LSTORE, addend);
        frames.place(done);
    }

    /**
     * Emits the shortcut of untranslated load groups, which jumps to {@code done} with addend 0 when the hart says
     * so ({@link Mmu#UNTRANSLATED_RAM}) and the whole group lies in RAM, to {@code miss} when it does not, and falls
     * through to the probe when the shortcut does not apply: {@code Long.compareUnsigned(base + low - ramBase,
     * ramSize - (high - low)) < 0} proves that every byte lies in RAM, which untranslated loads read at their own
     * address.
     */
    private void emitUntranslatedLoads(Insn leader, long low, long high, Label miss, Label done) {
        Label probe = new Label();
        method.visitVarInsn(ILOAD, untranslated);
        method.visitJumpInsn(IFEQ, probe);
        address(leader.rs1, low - ramBase);
        values.pushLong(ramSize - (high - low));
        values.compareUnsigned();
        method.visitJumpInsn(IFGE, miss);
        method.visitInsn(LCONST_0);
        method.visitVarInsn(LSTORE, addend);
        method.visitJumpInsn(GOTO, done);
        frames.place(probe);
    }

    /**
     * Emits one access of a group whose probe has run: RAM index {@code (int) (base + disp + addend - ramBase) & mask}
     * into the host array, or host address {@code hostAddress + ((base + disp + addend - ramBase) & mask)} outside the
     * heap. A load's value goes to its integer register, a store's comes from one.
     *
     * @param insn the load or store
     */
    void emitAccess(Insn insn) {
        if (isLoad(insn)) {
            emitLoad(insn);
            values.storeRegister(insn.rd);
        } else {
            emitStoreAddress(insn);
            values.loadRegister(insn.rs2);
            emitStore(insn);
        }
    }

    /**
     * Emits a load whose probe has run and leaves its value (a long, extended as the load's kind says) on the stack.
     *
     * @param insn the load
     */
    void emitLoad(Insn insn) {
        pushLocation(insn);
        boolean unsigned = insn.sub == Opcodes.MEM_LOADU;
        String name = switch (size(insn)) {
            case 1 -> unsigned ? "lbu" : "lb";
            case 2 -> unsigned ? "lhu" : "lh";
            case 4 -> unsigned ? "lwu" : "lw";
            default -> "ld";
        };
        method.visitMethodInsn(INVOKESTATIC, owner(insn), name, "(" + where() + ")J", false);
    }

    /**
     * Emits the first half of a store whose probe has run: pushes where it writes. The caller then pushes the value
     * (a long, of which the store writes the low bytes) and calls {@link #emitStore}.
     *
     * @param insn the store
     */
    void emitStoreAddress(Insn insn) {
        pushLocation(insn);
    }

    /**
     * Emits the second half of a store: writes the value on the stack where {@link #emitStoreAddress} pointed.
     *
     * @param insn the store
     */
    void emitStore(Insn insn) {
        String name = switch (insn.sub) {
            case Opcodes.MEM_SB -> "sb";
            case Opcodes.MEM_SH -> "sh";
            case Opcodes.MEM_SW -> "sw";
            default -> "sd";
        };
        method.visitMethodInsn(INVOKESTATIC, owner(insn), name, "(" + where() + "J)V", false);
    }

    /** Pushes the host array and index, or the host address, of an access. */
    private void pushLocation(Insn insn) {
        boolean offHeap = hostAddress != 0;
        if (!offHeap) {
            method.visitFieldInsn(GETSTATIC, className, ramField, "[B");
        }
        address(insn.rs1, insn.disp);
        method.visitVarInsn(LLOAD, addend);
        method.visitInsn(LADD);
        if (ramBase != 0) {
            values.pushLong(ramBase);
            method.visitInsn(LSUB);
        }
        if (offHeap) {
            // The same masked index as a long: C2 then masks with one AND, where (long) (int & mask) took three
            // instructions (a zero extension, a constant and a BZHI).
            values.pushLong(ramMask);
            method.visitInsn(LAND);
            values.pushLong(hostAddress);
            method.visitInsn(LADD);
        } else {
            method.visitInsn(L2I);
            values.pushInt(ramMask);
            method.visitInsn(IAND);
        }
    }

    /** The class whose static method makes an access. */
    private String owner(Insn insn) {
        return hostAddress != 0 ? OFF_HEAP_RAM_ACCESS : size(insn) == 1 ? RAM_ACCESS : wideAccess;
    }

    /** The descriptor of an access's location arguments. */
    private String where() {
        return hostAddress != 0 ? "J" : "[BI";
    }

    /** Pushes a base register plus a displacement (a long). */
    private void address(int register, long displacement) {
        values.loadRegister(register);
        if (displacement != 0) {
            values.pushLong(displacement);
            method.visitInsn(LADD);
        }
    }
}
