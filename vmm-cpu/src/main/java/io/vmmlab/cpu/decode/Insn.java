package io.vmmlab.cpu.decode;

/**
 * One instruction of a {@link Block}, pre-split into fields for the interpreter's hot loop. A block's instructions
 * (an array, also chained through {@link #next}) end with its terminator (a branch, jump, SYSTEM instruction or
 * illegal encoding) or, for blocks without one, with an {@link Opcodes#END} marker that is not an instruction.
 *
 * <p>Pc-relative values are rebased on the block's first instruction: a branch or JAL immediate includes
 * {@link #offset}, so its target is the block's start pc plus {@link #imm}. Loads and stores are
 * {@link Opcodes#MEM}, loads with their extension shift (64 minus 8 times the size) in {@link #aux}; the M
 * extension's high multiplies and divisions are {@link Opcodes#MULHX} and {@link Opcodes#DIVX} (one interpreter
 * case each: HotSpot computes arithmetic that several cases share before the dispatch, for every instruction);
 * terminators and END keep the fall-through offset (the next instruction's offset) in {@link #aux}. Without the C extension, a branch or
 * JAL whose target is misaligned becomes {@link Opcodes#SLOW_TERMINATOR} and a JALR becomes
 * {@link Opcodes#JALR_ALIGNED}, so the hot loop never tests alignment for RV64IMAC.
 */
public final class Insn {
    /** Operation number ({@link Opcodes}) that the hot loop dispatches on. */
    public final byte op;
    /** The decoded operation number, before any block-form rewriting. */
    public final byte raw;
    /** Destination register ({@link Opcodes#SINK} for x0). */
    public final byte rd;
    /** First source register. */
    public final byte rs1;
    /** Second source register. */
    public final byte rs2;
    /** Immediate (rebased for branches and JAL). */
    public final int imm;
    /** Load extension shift, or the fall-through offset of a terminator. */
    public final int aux;
    /** Selector within a combined operation ({@link Opcodes#MEM}, {@link Opcodes#MULHX}, {@link Opcodes#DIVX}). */
    public final byte sub;
    /** For {@link Opcodes#MEM}: the address displacement (the immediate again, in a field of its own). */
    public final int disp;
    /** For {@link Opcodes#MEM}: bytes touched minus one (7 for loads, which read eight bytes). */
    public final byte span;
    /** For {@link Opcodes#MEM}: the TLB tag offset within an entry, {@code Tlb.LOAD_TAG} or {@code STORE_TAG}. */
    public final byte kind;
    /** Byte offset from the block start (for END: the block's size). */
    public final short offset;
    /** Index in the block, that is, the number of instructions before this one. */
    public final byte index;
    /** The following instruction, null after a terminator or END. */
    public final Insn next;
    /**
     * For a terminator or END marker: the blocks its block's taken branch or JAL and its fall-through go to, when
     * those are decoded and in the same page, so that the interpreter goes on with them without a lookup (a
     * successor in the same virtual page is in the same physical page, whatever the mapping). Written only by
     * {@link DecodedPage}, as blocks are added and dropped.
     */
    Block taken;
    Block fall;

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
     * @param index index in the block
     * @param next the following instruction
     */
    public Insn(int op, int raw, int rd, int rs1, int rs2, int imm, int aux, int sub, int span, int kind, int offset,
                int index, Insn next) {
        this.op = narrow(op);
        this.raw = narrow(raw);
        this.rd = narrow(rd);
        this.rs1 = narrow(rs1);
        this.rs2 = narrow(rs2);
        this.imm = imm;
        this.aux = aux;
        this.sub = narrow(sub);
        this.disp = op == Opcodes.MEM ? imm : 0;
        this.span = narrow(span);
        this.kind = narrow(kind);
        if (offset < 0 || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset out of range: " + offset);
        }
        this.offset = (short) offset;
        this.index = narrow(index);
        this.next = next;
    }

    // The small fields are bytes (and the offset a short), so that an instruction takes 48 bytes instead of 72: Linux's
    // boot decodes some 200,000 of them, and the interpreter's loop reads one per instruction it runs.
    private static byte narrow(int value) {
        if (value < 0 || value > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("field out of range: " + value);
        }
        return (byte) value;
    }

    /** Returns the decoded block a taken branch or JAL goes to, or null (see {@link #taken}). */
    public Block taken() {
        return taken;
    }

    /** Returns the decoded block execution falls through to, or null (see {@link #fall}). */
    public Block fall() {
        return fall;
    }

    /** Returns the packed word ({@link Opcodes#pack} layout) of this instruction, for the system executor. */
    public int word() {
        return raw | rd << 8 | rs1 << 14 | rs2 << 19;
    }
}
