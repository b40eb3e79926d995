package io.vmmlab.cpu.decode;

/**
 * Expands RV64C instructions to their 32-bit equivalents (ISA manual, unprivileged volume, chapter "C" Standard
 * Extension for Compressed Instructions", RVC instruction listings for RV64). Reserved encodings expand to 0, which
 * the decoder reports as illegal. C.FLD, C.FSD, C.FLDSP and C.FSDSP expand to FLD and FSD, which the decoder makes
 * illegal on a hart without D.
 * HINT encodings expand to their (harmless) base instruction.
 */
public final class CompressedExpander {
    private CompressedExpander() {
    }

    /**
     * Expands one 16-bit instruction.
     *
     * @param c the instruction bits in the low 16 bits
     * @return the 32-bit equivalent, or 0 when the encoding is reserved or illegal
     */
    public static int expand(int c) {
        int funct3 = (c >>> 13) & 7;
        return switch (c & 3) {
            case 0 -> quadrant0(c, funct3);
            case 1 -> quadrant1(c, funct3);
            case 2 -> quadrant2(c, funct3);
            default -> 0;
        };
    }

    private static int bit(int c, int position) {
        return (c >>> position) & 1;
    }

    private static int bits(int c, int high, int low) {
        return (c >>> low) & ((1 << (high - low + 1)) - 1);
    }

    private static int rdPrime(int c) {
        return 8 + bits(c, 4, 2);
    }

    private static int rs1Prime(int c) {
        return 8 + bits(c, 9, 7);
    }

    private static int quadrant0(int c, int funct3) {
        int rs1 = rs1Prime(c);
        int rd = rdPrime(c);
        int offsetW = bits(c, 12, 10) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6;
        int offsetD = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
        return switch (funct3) {
            case 0 -> {
                int imm = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bit(c, 6) << 2 | bit(c, 5) << 3;
                yield imm == 0 ? 0 : iType(0x13, 0, rd, 2, imm);
            }
            case 1 -> iType(0x07, 3, rd, rs1, offsetD); // C.FLD
            case 2 -> iType(0x03, 2, rd, rs1, offsetW);
            case 3 -> iType(0x03, 3, rd, rs1, offsetD);
            case 5 -> sType(0x27, 3, rs1, rd, offsetD); // C.FSD
            case 6 -> sType(2, rs1, rd, offsetW);
            case 7 -> sType(3, rs1, rd, offsetD);
            default -> 0;
        };
    }

    private static int quadrant1(int c, int funct3) {
        int rd = bits(c, 11, 7);
        int imm6 = signExtend(bit(c, 12) << 5 | bits(c, 6, 2), 6);
        return switch (funct3) {
            case 0 -> iType(0x13, 0, rd, rd, imm6);
            case 1 -> rd == 0 ? 0 : iType(0x1b, 0, rd, rd, imm6);
            case 2 -> iType(0x13, 0, rd, 0, imm6);
            case 3 -> luiOrAddi16sp(c, rd);
            case 4 -> arithmetic(c);
            case 5 -> jType(0, jumpOffset(c));
            case 6 -> bType(0, rs1Prime(c), branchOffset(c));
            default -> bType(1, rs1Prime(c), branchOffset(c));
        };
    }

    private static int luiOrAddi16sp(int c, int rd) {
        if (rd == 2) {
            int imm = bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 | bits(c, 4, 3) << 7 | bit(c, 2) << 5;
            return imm == 0 ? 0 : iType(0x13, 0, 2, 2, signExtend(imm, 10));
        }
        int imm = bit(c, 12) << 17 | bits(c, 6, 2) << 12;
        if (imm == 0) {
            return 0;
        }
        return (signExtend(imm, 18) & 0xffff_f000) | rd << 7 | 0x37;
    }

    private static int arithmetic(int c) {
        int rd = rs1Prime(c);
        int shamt = bit(c, 12) << 5 | bits(c, 6, 2);
        int rs2 = rdPrime(c);
        switch (bits(c, 11, 10)) {
            case 0:
                return iType(0x13, 5, rd, rd, shamt);
            case 1:
                return iType(0x13, 5, rd, rd, shamt | 0x400);
            case 2:
                return iType(0x13, 7, rd, rd, signExtend(shamt, 6));
            default:
                break;
        }
        int selector = bit(c, 12) << 2 | bits(c, 6, 5);
        return switch (selector) {
            case 0 -> rType(0x33, 0, 0x20, rd, rd, rs2);
            case 1 -> rType(0x33, 4, 0, rd, rd, rs2);
            case 2 -> rType(0x33, 6, 0, rd, rd, rs2);
            case 3 -> rType(0x33, 7, 0, rd, rd, rs2);
            case 4 -> rType(0x3b, 0, 0x20, rd, rd, rs2);
            case 5 -> rType(0x3b, 0, 0, rd, rd, rs2);
            default -> 0;
        };
    }

    private static int jumpOffset(int c) {
        int offset = bit(c, 12) << 11 | bit(c, 11) << 4 | bits(c, 10, 9) << 8 | bit(c, 8) << 10 | bit(c, 7) << 6
                | bit(c, 6) << 7 | bits(c, 5, 3) << 1 | bit(c, 2) << 5;
        return signExtend(offset, 12);
    }

    private static int branchOffset(int c) {
        int offset = bit(c, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 | bit(c, 2) << 5;
        return signExtend(offset, 9);
    }

    private static int quadrant2(int c, int funct3) {
        int rd = bits(c, 11, 7);
        int rs2 = bits(c, 6, 2);
        return switch (funct3) {
            case 0 -> iType(0x13, 1, rd, rd, bit(c, 12) << 5 | rs2);
            case 1 -> iType(0x07, 3, rd, 2, bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6); // C.FLDSP
            case 2 -> rd == 0 ? 0 : iType(0x03, 2, rd, 2, bit(c, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6);
            case 3 -> rd == 0 ? 0 : iType(0x03, 3, rd, 2, bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6);
            case 4 -> jumpsAndMoves(c, rd, rs2);
            case 5 -> sType(0x27, 3, 2, rs2, bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6); // C.FSDSP
            case 6 -> sType(2, 2, rs2, bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6);
            case 7 -> sType(3, 2, rs2, bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6);
            default -> 0;
        };
    }

    private static int jumpsAndMoves(int c, int rd, int rs2) {
        if (bit(c, 12) == 0) {
            if (rs2 == 0) {
                return rd == 0 ? 0 : iType(0x67, 0, 0, rd, 0);
            }
            return rType(0x33, 0, 0, rd, 0, rs2);
        }
        if (rs2 == 0) {
            return rd == 0 ? 0x00100073 : iType(0x67, 0, 1, rd, 0);
        }
        return rType(0x33, 0, 0, rd, rd, rs2);
    }

    private static int signExtend(int value, int width) {
        int shift = 32 - width;
        return (value << shift) >> shift;
    }

    private static int iType(int opcode, int funct3, int rd, int rs1, int imm) {
        return imm << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int sType(int funct3, int rs1, int rs2, int imm) {
        return sType(0x23, funct3, rs1, rs2, imm);
    }

    private static int sType(int opcode, int funct3, int rs1, int rs2, int imm) {
        return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 0x1f) << 7 | opcode;
    }

    private static int rType(int opcode, int funct3, int funct7, int rd, int rs1, int rs2) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int bType(int funct3, int rs1, int imm) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3f) << 25 | rs1 << 15 | funct3 << 12
                | ((imm >> 1) & 0xf) << 8 | ((imm >> 11) & 1) << 7 | 0x63;
    }

    private static int jType(int rd, int imm) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }
}
