package io.vmmlab.cpu.decode;

import static io.vmmlab.cpu.decode.Opcodes.*;

/**
 * Decodes one 32-bit instruction, or one 16-bit instruction through {@link CompressedExpander}, into the
 * pre-decoded form of {@link Opcodes} (ISA manual, unprivileged volume, chapter "RV32I Base Integer Instruction
 * Set" and the RV64I, M, A, F, D, Zicsr, Zifencei chapters; privileged volume for SYSTEM instructions and the H
 * extension's HLV/HSV/HFENCE).
 *
 * <p>The result is a long: the packed word in the low 32 bits and the immediate in the high 32 bits. Reserved
 * encodings decode to {@link Opcodes#ILLEGAL} carrying the raw instruction bits, which become {@code mtval}.
 */
public final class InstructionDecoder {
    private final boolean multiply;
    private final boolean atomic;
    private final boolean compressed;
    private final boolean hypervisor;
    private final boolean singlePrecision;
    private final boolean doublePrecision;
    private final BitManipEncoding bitManip;
    private final CryptoEncoding crypto;

    /**
     * Creates a decoder for one set of extensions, without F and D.
     *
     * @param multiply M extension present
     * @param atomic A extension present
     * @param compressed C extension present
     * @param hypervisor H extension present
     */
    public InstructionDecoder(boolean multiply, boolean atomic, boolean compressed, boolean hypervisor) {
        this(multiply, atomic, compressed, hypervisor, false, false);
    }

    /**
     * Creates a decoder for one set of extensions.
     *
     * @param multiply M extension present
     * @param atomic A extension present
     * @param compressed C extension present
     * @param hypervisor H extension present
     * @param singlePrecision F extension present
     * @param doublePrecision D extension present (needs F)
     */
    public InstructionDecoder(boolean multiply, boolean atomic, boolean compressed, boolean hypervisor,
                              boolean singlePrecision, boolean doublePrecision) {
        this(multiply, atomic, compressed, hypervisor, singlePrecision, doublePrecision,
                BitManipEncoding.NONE_PRESENT, CryptoEncoding.NONE_PRESENT);
    }

    /**
     * Creates a decoder for one set of extensions, with bit manipulation.
     *
     * @param multiply M extension present
     * @param atomic A extension present
     * @param compressed C extension present
     * @param hypervisor H extension present
     * @param singlePrecision F extension present
     * @param doublePrecision D extension present (needs F)
     * @param bitManip which of Zba, Zbb, Zbc, Zbs, Zbkb, Zbkc, Zbkx and Zicond are present
     * @param crypto which of Zknd, Zkne, Zknh, Zksed and Zksh are present
     */
    public InstructionDecoder(boolean multiply, boolean atomic, boolean compressed, boolean hypervisor,
                              boolean singlePrecision, boolean doublePrecision, BitManipEncoding bitManip,
                              CryptoEncoding crypto) {
        this.bitManip = bitManip;
        this.crypto = crypto;
        this.multiply = multiply;
        this.atomic = atomic;
        this.compressed = compressed;
        this.hypervisor = hypervisor;
        this.singlePrecision = singlePrecision;
        this.doublePrecision = doublePrecision && singlePrecision;
    }

    /**
     * Tells whether compressed instructions are legal (which also relaxes jump target alignment to 2 bytes).
     *
     * @return true with the C extension
     */
    public boolean compressed() {
        return compressed;
    }

    /**
     * Decodes an instruction whose lowest 16 bits are already known to be a 16-bit instruction.
     *
     * @param bits the 16-bit parcel, zero-extended
     * @return packed word and immediate
     */
    public long decodeCompressed(int bits) {
        int expanded = compressed ? CompressedExpander.expand(bits) : 0;
        if (expanded == 0) {
            return result(pack(ILLEGAL, 0, 0, 0) | COMPRESSED, bits & 0xffff);
        }
        long decoded = decode(expanded);
        int word = (int) decoded;
        if (Opcodes.op(word) == ILLEGAL || Opcodes.op(word) == FLOAT) {
            // Both keep the 16 bits: an illegal one's trap value, a floating-point one's (C.FLD ...) trap value when
            // FS is Off, which the executor expands again when it runs.
            return result(word | COMPRESSED, bits & 0xffff);
        }
        return decoded | COMPRESSED;
    }

    /**
     * Decodes a 32-bit instruction.
     *
     * @param insn the instruction bits
     * @return packed word and immediate
     */
    public long decode(int insn) {
        if ((insn & 0x1f) == 0x1f) {
            return illegal(insn); // 48-bit and longer encodings are not supported
        }
        int rd = (insn >>> 7) & 0x1f;
        int funct3 = (insn >>> 12) & 7;
        int rs1 = (insn >>> 15) & 0x1f;
        int rs2 = (insn >>> 20) & 0x1f;
        int funct7 = insn >>> 25;
        int immI = insn >> 20;
        int bitManipulation = bitManip.decode(insn);
        if (bitManipulation != BitManipEncoding.NONE) { // rs2 is a source in the OP and OP-32 forms only
            boolean register = (insn & 0x7f) == 0x33 || (insn & 0x7f) == 0x3b;
            return result(pack(BITMANIP, rd, rs1, register ? rs2 : 0), bitManipulation);
        }
        int cryptography = crypto.decode(insn);
        if (cryptography != CryptoEncoding.NONE) {
            return result(pack(CRYPTO, rd, rs1, CryptoEncoding.readsRs2(cryptography >>> 6) ? rs2 : 0), cryptography);
        }
        return switch (insn & 0x7f) {
            case 0x37 -> result(pack(LUI, rd, 0, 0), insn & 0xffff_f000);
            case 0x17 -> result(pack(AUIPC, rd, 0, 0), insn & 0xffff_f000);
            case 0x6f -> result(pack(JAL, rd, 0, 0), immJ(insn));
            case 0x67 -> funct3 == 0 ? result(pack(JALR, rd, rs1, 0), immI) : illegal(insn);
            case 0x63 -> branch(insn, funct3, rs1, rs2);
            case 0x03 -> load(insn, funct3, rd, rs1, immI);
            case 0x23 -> store(insn, funct3, rs1, rs2);
            case 0x13 -> opImm(insn, funct3, rd, rs1, immI);
            case 0x1b -> opImm32(insn, funct3, rd, rs1, immI);
            case 0x33 -> register(insn, funct3, funct7, rd, rs1, rs2);
            case 0x3b -> op32(insn, funct3, funct7, rd, rs1, rs2);
            case 0x0f -> miscMem(insn, funct3);
            case 0x73 -> system(insn, funct3, funct7, rd, rs1, rs2);
            case 0x2f -> amo(insn, funct3, rd, rs1, rs2);
            case 0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53 -> floatingPoint(insn);
            default -> illegal(insn);
        };
    }

    private long floatingPoint(int insn) {
        boolean valid = singlePrecision && FloatEncoding.isValid(insn, doublePrecision);
        return valid ? result(pack(FLOAT, 0, 0, 0), insn) : illegal(insn);
    }

    private static long result(int word, int immediate) {
        return (word & 0xffff_ffffL) | ((long) immediate << 32);
    }

    private static long illegal(int insn) {
        return result(pack(ILLEGAL, 0, 0, 0), insn);
    }

    private static int immJ(int insn) {
        return (insn >> 31) << 20 | (insn & 0xff000) | ((insn >>> 20) & 1) << 11 | ((insn >>> 21) & 0x3ff) << 1;
    }

    private static int immB(int insn) {
        return (insn >> 31) << 12 | ((insn >>> 7) & 1) << 11 | ((insn >>> 25) & 0x3f) << 5 | ((insn >>> 8) & 0xf) << 1;
    }

    private static int immS(int insn) {
        return (insn >> 25) << 5 | ((insn >>> 7) & 0x1f);
    }

    private static long branch(int insn, int funct3, int rs1, int rs2) {
        int op = switch (funct3) {
            case 0 -> BEQ;
            case 1 -> BNE;
            case 4 -> BLT;
            case 5 -> BGE;
            case 6 -> BLTU;
            case 7 -> BGEU;
            default -> 0;
        };
        return op == 0 ? illegal(insn) : result(pack(op, 0, rs1, rs2), immB(insn));
    }

    private static long load(int insn, int funct3, int rd, int rs1, int immI) {
        int op = switch (funct3) {
            case 0 -> LB;
            case 1 -> LH;
            case 2 -> LW;
            case 3 -> LD;
            case 4 -> LBU;
            case 5 -> LHU;
            case 6 -> LWU;
            default -> 0;
        };
        return op == 0 ? illegal(insn) : result(pack(op, rd, rs1, 0), immI);
    }

    private static long store(int insn, int funct3, int rs1, int rs2) {
        int op = switch (funct3) {
            case 0 -> SB;
            case 1 -> SH;
            case 2 -> SW;
            case 3 -> SD;
            default -> 0;
        };
        return op == 0 ? illegal(insn) : result(pack(op, 0, rs1, rs2), immS(insn));
    }

    private static long opImm(int insn, int funct3, int rd, int rs1, int immI) {
        int shamt = immI & 0x3f;
        int high = (insn >>> 26);
        return switch (funct3) {
            case 0 -> result(pack(ADDI, rd, rs1, 0), immI);
            case 2 -> result(pack(SLTI, rd, rs1, 0), immI);
            case 3 -> result(pack(SLTIU, rd, rs1, 0), immI);
            case 4 -> result(pack(XORI, rd, rs1, 0), immI);
            case 6 -> result(pack(ORI, rd, rs1, 0), immI);
            case 7 -> result(pack(ANDI, rd, rs1, 0), immI);
            case 1 -> high == 0 ? result(pack(SLLI, rd, rs1, 0), shamt) : illegal(insn);
            case 5 -> high == 0 ? result(pack(SRLI, rd, rs1, 0), shamt)
                    : high == 0x10 ? result(pack(SRAI, rd, rs1, 0), shamt) : illegal(insn);
            default -> illegal(insn);
        };
    }

    private static long opImm32(int insn, int funct3, int rd, int rs1, int immI) {
        int shamt = immI & 0x1f;
        int funct7 = insn >>> 25;
        return switch (funct3) {
            case 0 -> result(pack(ADDIW, rd, rs1, 0), immI);
            case 1 -> funct7 == 0 ? result(pack(SLLIW, rd, rs1, 0), shamt) : illegal(insn);
            case 5 -> funct7 == 0 ? result(pack(SRLIW, rd, rs1, 0), shamt)
                    : funct7 == 0x20 ? result(pack(SRAIW, rd, rs1, 0), shamt) : illegal(insn);
            default -> illegal(insn);
        };
    }

    private long register(int insn, int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = 0;
        if (funct7 == 0) {
            op = switch (funct3) {
                case 0 -> ADD;
                case 1 -> SLL;
                case 2 -> SLT;
                case 3 -> SLTU;
                case 4 -> XOR;
                case 5 -> SRL;
                case 6 -> OR;
                default -> AND;
            };
        } else if (funct7 == 0x20) {
            op = funct3 == 0 ? SUB : funct3 == 5 ? SRA : 0;
        } else if (funct7 == 1 && multiply) {
            op = switch (funct3) {
                case 0 -> MUL;
                case 1 -> MULH;
                case 2 -> MULHSU;
                case 3 -> MULHU;
                case 4 -> DIV;
                case 5 -> DIVU;
                case 6 -> REM;
                default -> REMU;
            };
        }
        return op == 0 ? illegal(insn) : result(pack(op, rd, rs1, rs2), 0);
    }

    private long op32(int insn, int funct3, int funct7, int rd, int rs1, int rs2) {
        int op = 0;
        if (funct7 == 0) {
            op = funct3 == 0 ? ADDW : funct3 == 1 ? SLLW : funct3 == 5 ? SRLW : 0;
        } else if (funct7 == 0x20) {
            op = funct3 == 0 ? SUBW : funct3 == 5 ? SRAW : 0;
        } else if (funct7 == 1 && multiply) {
            op = switch (funct3) {
                case 0 -> MULW;
                case 4 -> DIVW;
                case 5 -> DIVUW;
                case 6 -> REMW;
                case 7 -> REMUW;
                default -> 0;
            };
        }
        return op == 0 ? illegal(insn) : result(pack(op, rd, rs1, rs2), 0);
    }

    private static long miscMem(int insn, int funct3) {
        return switch (funct3) {
            case 0 -> result(pack(FENCE, 0, 0, 0), 0);
            case 1 -> result(pack(FENCE_I, 0, 0, 0), 0);
            default -> illegal(insn);
        };
    }

    private long system(int insn, int funct3, int funct7, int rd, int rs1, int rs2) {
        int csr = insn >>> 20;
        switch (funct3) {
            case 0:
                return privileged(insn, funct7, rd, rs1, rs2);
            case 1:
                return result(pack(CSRRW, rd, rs1, 0), csr);
            case 2:
                return result(pack(CSRRS, rd, rs1, 0), csr);
            case 3:
                return result(pack(CSRRC, rd, rs1, 0), csr);
            case 5:
                return result(pack(CSRRWI, rd, rs1, 0), csr);
            case 6:
                return result(pack(CSRRSI, rd, rs1, 0), csr);
            case 7:
                return result(pack(CSRRCI, rd, rs1, 0), csr);
            default:
                return hypervisor && HypervisorLoadStore.isValid(funct7, rs2, rd)
                        ? result(pack(HYPERVISOR_LOAD_STORE, rd, rs1, rs2), funct7 << 5 | rs2)
                        : illegal(insn);
        }
    }

    private long privileged(int insn, int funct7, int rd, int rs1, int rs2) {
        if (rd != 0) {
            return illegal(insn);
        }
        if (funct7 == 0x09) {
            return result(pack(SFENCE_VMA, 0, rs1, rs2), 0);
        }
        if (funct7 == 0x11 && hypervisor) {
            return result(pack(HFENCE_VVMA, 0, rs1, rs2), 0);
        }
        if (funct7 == 0x31 && hypervisor) {
            return result(pack(HFENCE_GVMA, 0, rs1, rs2), 0);
        }
        if (rs1 != 0) {
            return illegal(insn);
        }
        return switch (insn >>> 20) {
            case 0x000 -> result(pack(ECALL, 0, 0, 0), 0);
            case 0x001 -> result(pack(EBREAK, 0, 0, 0), 0);
            case 0x102 -> result(pack(SRET, 0, 0, 0), 0);
            case 0x302 -> result(pack(MRET, 0, 0, 0), 0);
            case 0x105 -> result(pack(WFI, 0, 0, 0), 0);
            default -> illegal(insn);
        };
    }

    private long amo(int insn, int funct3, int rd, int rs1, int rs2) {
        int funct5 = insn >>> 27;
        if (!atomic || (funct3 != 2 && funct3 != 3)) {
            return illegal(insn);
        }
        boolean valid = switch (funct5) {
            case AMO_LR -> rs2 == 0;
            case AMO_ADD, AMO_SWAP, AMO_SC, AMO_XOR, AMO_OR, AMO_AND, AMO_MIN, AMO_MAX, AMO_MINU, AMO_MAXU -> true;
            default -> false;
        };
        return valid ? result(pack(AMO, rd, rs1, rs2), funct5 << 1 | (funct3 & 1)) : illegal(insn);
    }
}
