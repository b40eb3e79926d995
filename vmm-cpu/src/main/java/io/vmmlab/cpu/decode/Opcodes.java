package io.vmmlab.cpu.decode;

/**
 * Operation numbers of the pre-decoded form, and the layout of a decoded instruction word.
 *
 * <p>A decoded instruction is two ints: a packed word ({@code op | rd << 8 | rs1 << 14 | rs2 << 19 |
 * compressed << 24}) and an immediate. The operation number is never zero, so a zero word means "not decoded
 * yet". A destination register of x0 is decoded as {@link #SINK}, a 33rd register nobody reads, so the
 * interpreter never has to test {@code rd != 0}.
 */
public final class Opcodes {
    /** Register index that absorbs writes to x0. */
    public static final int SINK = 32;

    /** Illegal or reserved encoding; the immediate holds the raw instruction bits (ISA manual, "Illegal"). */
    public static final int ILLEGAL = 1;
    public static final int LUI = 2;
    public static final int AUIPC = 3;
    public static final int JAL = 4;
    public static final int JALR = 5;
    public static final int BEQ = 6;
    public static final int BNE = 7;
    public static final int BLT = 8;
    public static final int BGE = 9;
    public static final int BLTU = 10;
    public static final int BGEU = 11;
    public static final int LB = 12;
    public static final int LH = 13;
    public static final int LW = 14;
    public static final int LD = 15;
    public static final int LBU = 16;
    public static final int LHU = 17;
    public static final int LWU = 18;
    public static final int SB = 19;
    public static final int SH = 20;
    public static final int SW = 21;
    public static final int SD = 22;
    public static final int ADDI = 23;
    public static final int SLTI = 24;
    public static final int SLTIU = 25;
    public static final int XORI = 26;
    public static final int ORI = 27;
    public static final int ANDI = 28;
    public static final int SLLI = 29;
    public static final int SRLI = 30;
    public static final int SRAI = 31;
    public static final int ADD = 32;
    public static final int SUB = 33;
    public static final int SLL = 34;
    public static final int SLT = 35;
    public static final int SLTU = 36;
    public static final int XOR = 37;
    public static final int SRL = 38;
    public static final int SRA = 39;
    public static final int OR = 40;
    public static final int AND = 41;
    public static final int ADDIW = 42;
    public static final int SLLIW = 43;
    public static final int SRLIW = 44;
    public static final int SRAIW = 45;
    public static final int ADDW = 46;
    public static final int SUBW = 47;
    public static final int SLLW = 48;
    public static final int SRLW = 49;
    public static final int SRAW = 50;
    public static final int MUL = 51;
    public static final int MULH = 52;
    public static final int MULHSU = 53;
    public static final int MULHU = 54;
    public static final int DIV = 55;
    public static final int DIVU = 56;
    public static final int REM = 57;
    public static final int REMU = 58;
    public static final int MULW = 59;
    public static final int DIVW = 60;
    public static final int DIVUW = 61;
    public static final int REMW = 62;
    public static final int REMUW = 63;
    public static final int FENCE = 64;
    public static final int FENCE_I = 65;
    public static final int ECALL = 66;
    public static final int EBREAK = 67;
    public static final int SRET = 68;
    public static final int MRET = 69;
    public static final int WFI = 70;
    public static final int SFENCE_VMA = 71;
    public static final int HFENCE_VVMA = 72;
    public static final int HFENCE_GVMA = 73;
    /** CSR instructions; the immediate is the CSR number, rs1 holds the register or the 5-bit uimm. */
    public static final int CSRRW = 74;
    public static final int CSRRS = 75;
    public static final int CSRRC = 76;
    public static final int CSRRWI = 77;
    public static final int CSRRSI = 78;
    public static final int CSRRCI = 79;
    /** Hypervisor virtual-machine loads and stores; the immediate is the funct7/rs2 selector (H extension). */
    public static final int HYPERVISOR_LOAD_STORE = 80;
    /** Atomic memory operations; the immediate holds funct5 and funct3 (bit 0 = doubleword). */
    public static final int AMO = 81;
    /**
     * Block form only (see {@link Insn}): a load or store; {@link Insn#sub} selects which ({@code MEM_*}). Loads
     * of every size read eight bytes and extend by {@link Insn#aux}.
     */
    public static final int MEM = 82;
    /** Block form only: MULH, MULHSU or MULHU by {@link Insn#sub} (0, 1, 2). */
    public static final int MULHX = 83;
    /** Block form only: the end of a block without a terminator (not an instruction). */
    public static final int END = 84;
    /** Block form only: a terminator that the interpreter's driver executes (a jump to a misaligned target). */
    public static final int SLOW_TERMINATOR = 85;
    /** Block form only: JALR without the C extension, whose target must be checked for alignment. */
    public static final int JALR_ALIGNED = 86;
    /** Block form only: DIV, DIVU, REM, REMU, DIVW, DIVUW, REMW or REMUW by {@link Insn#sub} (0 to 7). */
    public static final int DIVX = 87;
    /**
     * An F or D extension instruction (loads, stores, arithmetic, conversions, moves: {@link FloatEncoding}); the
     * immediate holds its raw bits (a compressed one's 16 bits, expanded when it runs). The decoder has checked
     * the encoding; what depends on the hart's state (FS, a dynamic rounding mode) is checked when it runs. The
     * interpreter's hot loop runs the computational ones that cannot trap and the loads and stores that hit its TLB
     * ({@link #FLOAT_LW} ...), the rest on its slow path; the translator translates all of them (its
     * {@code FloatEmitter}).
     */
    public static final int FLOAT = 88;
    /**
     * A Zba, Zbb, Zbc, Zbs, Zbkb, Zbkc, Zbkx or Zicond instruction; the immediate is
     * {@code selector << 6 | shift amount} ({@link BitManipEncoding}).
     * It cannot trap: the hot loop and the translator compute it like any ALU operation.
     */
    public static final int BITMANIP = 89;
    /**
     * A Zknd, Zkne, Zknh, Zksed or Zksh instruction; the immediate is {@code selector << 6 | constant}
     * ({@link CryptoEncoding}). It cannot trap: computed like {@link #BITMANIP}.
     */
    public static final int CRYPTO = 90;
    /** One more than the highest operation number. */
    public static final int COUNT = 91;

    /** {@link #MEM} selectors. */
    public static final int MEM_LOAD = 0;
    public static final int MEM_LOADU = 1;
    public static final int MEM_SB = 2;
    public static final int MEM_SH = 3;
    public static final int MEM_SW = 4;
    public static final int MEM_SD = 5;

    /**
     * {@link #FLOAT} selectors of FP loads and stores (0: any other F/D instruction). Such an instruction's block form
     * is MEM-like for the hot loop: {@link Insn#rs1} the base register, {@link Insn#aux} the displacement,
     * {@link Insn#span} and {@link Insn#kind} as for {@link #MEM}, and {@link Insn#rs2} the f register loaded or
     * stored (not an integer register: only the hot loop's fast path reads these fields).
     */
    public static final int FLOAT_LW = 1;
    public static final int FLOAT_LD = 2;
    public static final int FLOAT_SW = 3;
    public static final int FLOAT_SD = 4;

    /** AMO selectors (funct5 of the A extension). */
    public static final int AMO_ADD = 0x00;
    public static final int AMO_SWAP = 0x01;
    public static final int AMO_LR = 0x02;
    public static final int AMO_SC = 0x03;
    public static final int AMO_XOR = 0x04;
    public static final int AMO_OR = 0x08;
    public static final int AMO_AND = 0x0c;
    public static final int AMO_MIN = 0x10;
    public static final int AMO_MAX = 0x14;
    public static final int AMO_MINU = 0x18;
    public static final int AMO_MAXU = 0x1c;

    private Opcodes() {
    }

    /**
     * Packs a decoded instruction word.
     *
     * @param op operation number
     * @param rd destination register (0 becomes {@link #SINK})
     * @param rs1 first source register
     * @param rs2 second source register
     * @return the packed word
     */
    public static int pack(int op, int rd, int rs1, int rs2) {
        int destination = rd == 0 ? SINK : rd;
        return op | destination << 8 | rs1 << 14 | rs2 << 19;
    }

    /** Returns the operation number of a packed word. */
    public static int op(int word) {
        return word & 0xff;
    }

    /** Returns the destination register of a packed word. */
    public static int rd(int word) {
        return (word >>> 8) & 0x3f;
    }

    /** Returns the first source register of a packed word. */
    public static int rs1(int word) {
        return (word >>> 14) & 0x1f;
    }

    /** Returns the second source register of a packed word. */
    public static int rs2(int word) {
        return (word >>> 19) & 0x1f;
    }

    /** Returns the instruction length in bytes (2 for compressed instructions). */
    public static int length(int word) {
        return (word & COMPRESSED) != 0 ? 2 : 4;
    }

    /** The flag bit marking a compressed (16-bit) instruction. */
    public static final int COMPRESSED = 1 << 24;
}
