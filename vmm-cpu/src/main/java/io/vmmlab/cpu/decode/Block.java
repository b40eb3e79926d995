package io.vmmlab.cpu.decode;

import io.vmmlab.cpu.translate.TranslatedCode;

/**
 * A pre-decoded straight-line run of instructions inside one physical page: it starts at some parcel and ends
 * after the first control transfer, SYSTEM instruction, FENCE.I or illegal encoding (the block's
 * <em>terminator</em>), or, without a terminator, before an instruction that crosses into the next page, at the
 * end of the page, or after {@link #MAX_INSTRUCTIONS}.
 *
 * <p>The instructions are {@link Insn}s ({@link #insns}, also chained through {@link Insn#next}), rebased on the
 * block's first instruction, so only the block's virtual start address is needed to run it, and the block depends
 * only on the bytes of its physical page. The terminator (or END marker) links to the successor blocks in the
 * same page once they are decoded (see {@link DecodedPage}).
 */
public final class Block {
    // The TLB tag offsets within an entry of io.vmmlab.cpu.mmu.Tlb#data (Tlb.LOAD_TAG, Tlb.STORE_TAG).
    private static final int LOAD_TAG = 0;
    private static final int STORE_TAG = 2;

    /** The longest block, in instructions. */
    public static final int MAX_INSTRUCTIONS = 64;
    /** The longest block, in parcels (every instruction at most two parcels). */
    public static final int MAX_PARCELS = 2 * MAX_INSTRUCTIONS;

    /**
     * The instructions, then, for a block without a terminator, an {@link Opcodes#END} marker; so the array's
     * last element always ends the block.
     */
    public final Insn[] insns;
    /** Number of instructions. */
    public final int length;
    /** Size in bytes: the fall-through pc is the start pc plus this. */
    public final int bytes;
    /** First parcel within the page. */
    public final int startSlot;
    /**
     * Parcel in this page where the terminator's branch or JAL goes, or -1 (no such terminator, the target is in
     * another page, or it is computed).
     */
    public final int takenSlot;
    /** Parcel in this page where execution falls through after the block, or -1 (no fall-through, or off the page). */
    public final int fallSlot;
    /** The last element of {@link #insns}: the terminator or END marker, which holds the links to successors. */
    final Insn last;
    // The next block in its page's list of blocks waiting for a block at takenSlot (fallSlot) to link to; see
    // DecodedPage. Meaningful only while the block is on that list.
    Block nextWaitingForTaken;
    Block nextWaitingForFall;
    /**
     * Executions left before the block counts as hot and a translating engine compiles it: set when the interpreter
     * decodes the block (by the translator, {@code BlockTranslator.arm}; {@link Integer#MAX_VALUE} without one),
     * counted down as the interpreter enters the block from a lookup or a successor link.
     */
    public int heat;
    /**
     * The hot threshold {@link #heat} last counted towards, in all: when the heat runs out while the translator's
     * threshold has risen since, the block counts on to the new one (see {@code TranslationPayoff}).
     */
    public int heatTarget;
    /**
     * Regions being built that include this block (not as their entry). While there are any, the block becoming
     * hot does not make a region of its own: the interpreter runs it as often as the block that made the region
     * (they share a loop), and the region arrives with it. Used on the hart's thread only.
     */
    public int claims;
    /**
     * Whether an attached region has included this block (not as its entry). Not cleared when that region goes:
     * it only stops the block from counting when a run resumes inside it where a budget ended (see the
     * interpreter), which a stale mark merely delays. Used on the hart's thread only.
     */
    public boolean covered;
    /**
     * Whether a region with this block as its entry has been requested and is not yet attached or dropped. Set and
     * cleared by the translator, on the hart's thread; a region being chosen ends before such a block, as before one
     * with {@link #code}.
     */
    public boolean regionRequested;
    /**
     * Translated code whose entry is this block, or null. Set by the translation cache; cleared when any block of
     * the page is dropped (the code may include it) and on eviction. The blocks themselves go with their page.
     */
    public TranslatedCode code;

    /**
     * Builds a block from decoded instructions.
     *
     * @param decoded packed word (low 32 bits) and immediate (high 32 bits) per instruction, from
     *                {@link InstructionDecoder}
     * @param offsets byte offset of each instruction from the block start, plus one more entry: the size
     * @param length number of instructions
     * @param startSlot first parcel within the page
     * @param compressed whether the C extension is present (else jump targets must be 4-byte aligned)
     */
    public Block(long[] decoded, int[] offsets, int length, int startSlot, boolean compressed) {
        this.length = length;
        this.bytes = offsets[length];
        this.startSlot = startSlot;
        Insn next = null;
        boolean terminated = length > 0 && endsBlock(Opcodes.op((int) decoded[length - 1]));
        this.insns = new Insn[terminated ? length : length + 1];
        if (!terminated) {
            next = new Insn(Opcodes.END, Opcodes.END, Opcodes.SINK, 0, 0, 0, bytes, 0, 0, 0, bytes, length, null);
            insns[length] = next;
        }
        for (int i = length - 1; i >= 0; i--) {
            next = insn(decoded[i], offsets[i], offsets[i + 1], i, next, compressed ? -1 : startSlot << 1);
            insns[i] = next;
        }
        Insn last = insns[insns.length - 1];
        this.last = last;
        int pageOffset = startSlot << 1;
        boolean pcRelative = switch (last.op) {
            case Opcodes.BEQ, Opcodes.BNE, Opcodes.BLT, Opcodes.BGE, Opcodes.BLTU, Opcodes.BGEU, Opcodes.JAL -> true;
            default -> false;
        };
        boolean fallsThrough = last.op != Opcodes.JAL && (pcRelative || last.op == Opcodes.END);
        this.takenSlot = pcRelative && inPage(pageOffset + last.imm) ? (pageOffset + last.imm) >> 1 : -1;
        this.fallSlot = fallsThrough && inPage(pageOffset + bytes) ? (pageOffset + bytes) >> 1 : -1;
    }

    private static boolean inPage(int offset) {
        return offset >= 0 && offset < DecodedPage.SLOTS << 1;
    }

    /** Makes one instruction; {@code pageOffset} is the block's offset in its page, or -1 with the C extension. */
    private static Insn insn(long decoded, int offset, int nextOffset, int index, Insn next, int pageOffset) {
        int word = (int) decoded;
        int imm = (int) (decoded >>> 32);
        int raw = Opcodes.op(word);
        int op = raw;
        int rd = Opcodes.rd(word);
        int rs1 = Opcodes.rs1(word);
        int rs2 = Opcodes.rs2(word);
        int aux = endsBlock(op) ? nextOffset : 0;
        int sub = 0;
        int span = 0;
        int kind = 0;
        switch (op) {
            case Opcodes.JAL, Opcodes.BEQ, Opcodes.BNE, Opcodes.BLT, Opcodes.BGE, Opcodes.BLTU, Opcodes.BGEU -> {
                imm += offset;
                if (pageOffset >= 0 && ((pageOffset + imm) & 2) != 0) {
                    op = Opcodes.SLOW_TERMINATOR; // the target is misaligned (page offsets are virtual offsets)
                }
            }
            case Opcodes.JALR -> op = pageOffset >= 0 ? Opcodes.JALR_ALIGNED : op;
            case Opcodes.LB, Opcodes.LH, Opcodes.LW, Opcodes.LD, Opcodes.LBU, Opcodes.LHU, Opcodes.LWU -> {
                boolean unsigned = op == Opcodes.LBU || op == Opcodes.LHU || op == Opcodes.LWU;
                aux = 64 - 8 * loadSize(op);
                sub = unsigned ? Opcodes.MEM_LOADU : Opcodes.MEM_LOAD;
                span = 7;
                kind = LOAD_TAG;
                op = Opcodes.MEM;
            }
            case Opcodes.SB, Opcodes.SH, Opcodes.SW, Opcodes.SD -> {
                int size = op == Opcodes.SB ? 1 : op == Opcodes.SH ? 2 : op == Opcodes.SW ? 4 : 8;
                sub = op == Opcodes.SB ? Opcodes.MEM_SB : op == Opcodes.SH ? Opcodes.MEM_SH
                        : op == Opcodes.SW ? Opcodes.MEM_SW : Opcodes.MEM_SD;
                span = size - 1;
                kind = STORE_TAG;
                op = Opcodes.MEM;
            }
            case Opcodes.MULH, Opcodes.MULHSU, Opcodes.MULHU -> {
                sub = op - Opcodes.MULH;
                op = Opcodes.MULHX;
            }
            case Opcodes.DIV, Opcodes.DIVU, Opcodes.REM, Opcodes.REMU -> {
                sub = op - Opcodes.DIV;
                op = Opcodes.DIVX;
            }
            case Opcodes.DIVW, Opcodes.DIVUW, Opcodes.REMW, Opcodes.REMUW -> {
                sub = 4 + op - Opcodes.DIVW;
                op = Opcodes.DIVX;
            }
            case Opcodes.FLOAT -> {
                // FP loads and stores get a MEM-like form for the hot loop's fast path (see Opcodes.FLOAT_LW).
                int expanded = (imm & 3) == 3 ? imm : CompressedExpander.expand(imm & 0xffff);
                int opcode = expanded & 0x7f;
                if (opcode == FloatEncoding.LOAD_FP || opcode == FloatEncoding.STORE_FP) {
                    boolean store = opcode == FloatEncoding.STORE_FP;
                    boolean wide = ((expanded >>> 12) & 7) == 3;
                    sub = store ? (wide ? Opcodes.FLOAT_SD : Opcodes.FLOAT_SW)
                            : (wide ? Opcodes.FLOAT_LD : Opcodes.FLOAT_LW);
                    rs1 = (expanded >>> 15) & 0x1f;
                    rs2 = store ? (expanded >>> 20) & 0x1f : (expanded >>> 7) & 0x1f;
                    aux = store ? (expanded >> 25) << 5 | ((expanded >>> 7) & 0x1f) : expanded >> 20;
                    span = wide ? 7 : 3;
                    kind = store ? STORE_TAG : LOAD_TAG;
                }
            }
            default -> {
            }
        }
        return new Insn(op, raw, rd, rs1, rs2, imm, aux, sub, span, kind, offset, index, next);
    }

    private static int loadSize(int op) {
        return switch (op) {
            case Opcodes.LB, Opcodes.LBU -> 1;
            case Opcodes.LH, Opcodes.LHU -> 2;
            case Opcodes.LW, Opcodes.LWU -> 4;
            default -> 8;
        };
    }

    /** Returns the parcel after the block (exclusive end), which may be the next page's first parcel. */
    public int endSlot() {
        return startSlot + (bytes >> 1);
    }

    /**
     * Tells whether an operation ends a block: it transfers control, is a SYSTEM instruction or fence that
     * the interpreter hands to the system executor, or always traps.
     *
     * @param op operation number
     * @return true for block terminators
     */
    public static boolean endsBlock(int op) {
        return switch (op) {
            case Opcodes.JAL, Opcodes.JALR, Opcodes.BEQ, Opcodes.BNE, Opcodes.BLT, Opcodes.BGE, Opcodes.BLTU,
                 Opcodes.BGEU, Opcodes.ILLEGAL -> true;
            default -> isSystem(op);
        };
    }

    /**
     * Tells whether an operation goes to the system executor (and so ends the interpreter's run).
     *
     * @param op operation number
     * @return true for SYSTEM instructions, FENCE.I, SFENCE/HFENCE and HLV/HSV
     */
    public static boolean isSystem(int op) {
        return op >= Opcodes.FENCE_I && op <= Opcodes.HYPERVISOR_LOAD_STORE;
    }
}
