package io.vmmlab.cpu.decode;

import io.vmmlab.api.memory.GuestMemory;

/**
 * One instruction of a {@link Block}, pre-split into fields for the interpreter's hot loop, linked to the next
 * one. A block's instructions form a chain that ends with its terminator (a branch, jump, SYSTEM instruction or
 * illegal encoding) or, for blocks without one, with an {@link Opcodes#END} marker that is not an instruction.
 *
 * <p>Pc-relative values are rebased on the block's first instruction: a branch or JAL immediate includes
 * {@link #offset}, so its target is the block's start pc plus {@link #imm}. Loads and stores are
 * {@link Opcodes#MEM}, loads with their extension shift (64 minus 8 times the size) in {@link #aux}; the M
 * extension's high multiplies and divisions are {@link Opcodes#MULHX} and {@link Opcodes#DIVX} (fewer, larger
 * cases keep the JIT from hoisting their shared arithmetic into the dispatch); terminators keep the
 * fall-through offset (the next instruction's offset) in {@link #aux}. Without the C extension, a branch or
 * JAL whose target is misaligned becomes {@link Opcodes#SLOW_TERMINATOR} and a JALR becomes
 * {@link Opcodes#JALR_ALIGNED}, so the hot loop never tests alignment for RV64IMAC.
 */
public final class Insn {
    /** Operation number ({@link Opcodes}) that the hot loop dispatches on. */
    public final int op;
    /** The decoded operation number, before any block-form rewriting. */
    public final int raw;
    /** Destination register ({@link Opcodes#SINK} for x0). */
    public final int rd;
    /** First source register. */
    public final int rs1;
    /** Second source register. */
    public final int rs2;
    /** Immediate (rebased for branches and JAL). */
    public final int imm;
    /** Load extension shift, or the fall-through offset of a terminator. */
    public final int aux;
    /** Selector within a combined operation ({@link Opcodes#MEM}, {@link Opcodes#MULHX}, {@link Opcodes#DIVX}). */
    public final int sub;
    /** For {@link Opcodes#MEM}: the address displacement (the immediate again, in a field of its own). */
    public final int disp;
    /** For {@link Opcodes#MEM}: bytes touched minus one (7 for loads, which read eight bytes). */
    public final int span;
    /** For {@link Opcodes#MEM}: the TLB tag offset within an entry, {@code Tlb.LOAD_TAG} or {@code STORE_TAG}. */
    public final int kind;
    /** Byte offset from the block start (for END: the block's size). */
    public final int offset;
    /**
     * For {@link Opcodes#MEM}: the RAM. Reading it from the instruction rather than from a local keeps the JIT
     * from hoisting the RAM object's internals out of the interpreter loop, where they would tie up registers.
     */
    public final GuestMemory ram;
    /** Index in the block, that is, the number of instructions before this one. */
    public final int index;
    /** The following instruction, null after a terminator or END. */
    public final Insn next;

    /**
     * Creates an instruction.
     *
     * @param op operation number for the hot loop
     * @param raw decoded operation number
     * @param rd destination register
     * @param rs1 first source register
     * @param rs2 second source register
     * @param imm immediate
     * @param aux load shift or fall-through offset
     * @param sub selector within a combined operation
     * @param span bytes a memory access touches, minus one
     * @param kind TLB tag offset of a memory access
     * @param offset byte offset from the block start
     * @param ram the RAM, for memory accesses
     * @param index index in the block
     * @param next the following instruction
     */
    public Insn(int op, int raw, int rd, int rs1, int rs2, int imm, int aux, int sub, int span, int kind, int offset,
                GuestMemory ram, int index, Insn next) {
        this.op = op;
        this.raw = raw;
        this.rd = rd;
        this.rs1 = rs1;
        this.rs2 = rs2;
        this.imm = imm;
        this.aux = aux;
        this.sub = sub;
        this.disp = op == Opcodes.MEM ? imm : 0;
        this.span = span;
        this.kind = kind;
        this.offset = offset;
        this.ram = ram;
        this.index = index;
        this.next = next;
    }

    /** Returns the packed word ({@link Opcodes#pack} layout) of this instruction, for the system executor. */
    public int word() {
        return raw | rd << 8 | rs1 << 14 | rs2 << 19;
    }
}
