package io.vmmlab.fullvirt.emulate;

import io.vmmlab.api.cpu.AtomicValues;
import io.vmmlab.fullvirt.emulate.MemoryInstruction.Kind;

/**
 * Decodes the few instruction formats the VMM emulates (ISA manual: "RV32I Base", "Zicsr", "A", "C" and the
 * privileged SYSTEM encodings): CSR accesses, SRET, SFENCE.VMA, WFI, and loads, stores and AMOs including their
 * compressed forms.
 */
public final class InstructionDecoder {
    /** The SRET encoding. */
    public static final int SRET = 0x10200073;
    /** The WFI encoding. */
    public static final int WFI = 0x10500073;
    private static final int SYSTEM = 0x73;

    private InstructionDecoder() {
    }

    /**
     * Returns an instruction's length from its low bits.
     *
     * @param bits the instruction (at least its low 16 bits)
     * @return 2 or 4
     */
    public static int length(long bits) {
        return (bits & 3) == 3 ? 4 : 2;
    }

    /**
     * Tells whether an instruction is a CSR access (CSRRW ... CSRRCI).
     *
     * @param bits the instruction
     * @return true for Zicsr instructions
     */
    public static boolean isCsrAccess(int bits) {
        int funct3 = (bits >>> 12) & 7;
        return (bits & 0x7f) == SYSTEM && funct3 != 0 && funct3 != 4;
    }

    /**
     * Tells whether an instruction is SFENCE.VMA.
     *
     * @param bits the instruction
     * @return true for SFENCE.VMA with any registers
     */
    public static boolean isSfenceVma(int bits) {
        return (bits & 0xfe007fff) == 0x12000073;
    }

    /**
     * Returns the CSR number of a CSR access.
     *
     * @param bits the instruction
     * @return the 12-bit CSR number
     */
    public static int csr(int bits) {
        return bits >>> 20;
    }

    /** @param bits the instruction @return the funct3 field */
    public static int funct3(int bits) {
        return (bits >>> 12) & 7;
    }

    /** @param bits the instruction @return the rd field */
    public static int rd(int bits) {
        return (bits >>> 7) & 0x1f;
    }

    /** @param bits the instruction @return the rs1 field (the immediate of CSRR*I) */
    public static int rs1(int bits) {
        return (bits >>> 15) & 0x1f;
    }

    /** @param bits the instruction @return the rs2 field */
    public static int rs2(int bits) {
        return (bits >>> 20) & 0x1f;
    }

    /**
     * Decodes a load, store or AMO (and a floating-point store; FP loads are not decoded: the VMM needs them for
     * nothing but device reads, which it does not emulate for f registers).
     *
     * @param bits the instruction; for compressed ones only the low 16 bits matter
     * @return the decoded form, or null when it is none of those
     */
    public static MemoryInstruction decodeMemory(int bits) {
        return (bits & 3) == 3 ? decodeFull(bits) : decodeCompressed(bits & 0xffff);
    }

    private static MemoryInstruction decodeFull(int bits) {
        int opcode = bits & 0x7f;
        int funct3 = funct3(bits);
        switch (opcode) {
            case 0x03 -> {
                if (funct3 == 7) {
                    return null;
                }
                return new MemoryInstruction(Kind.LOAD, 1 << (funct3 & 3), funct3 < 4, rd(bits), rs1(bits), 0,
                        bits >> 20, 0, 4);
            }
            case 0x23 -> {
                if (funct3 > 3) {
                    return null;
                }
                long offset = (bits >> 25) << 5 | ((bits >>> 7) & 0x1f);
                return new MemoryInstruction(Kind.STORE, 1 << funct3, false, 0, rs1(bits), rs2(bits), offset, 0, 4);
            }
            case 0x07 -> { // FLW, FLD
                if (funct3 != 2 && funct3 != 3) {
                    return null;
                }
                return new MemoryInstruction(Kind.FLOAT_LOAD, 1 << funct3, false, rd(bits), rs1(bits), 0, bits >> 20,
                        0, 4);
            }
            case 0x27 -> { // FSW, FSD
                if (funct3 != 2 && funct3 != 3) {
                    return null;
                }
                long offset = (bits >> 25) << 5 | ((bits >>> 7) & 0x1f);
                return new MemoryInstruction(Kind.FLOAT_STORE, 1 << funct3, false, 0, rs1(bits), rs2(bits), offset,
                        0, 4);
            }
            case 0x2f -> {
                if (funct3 != 2 && funct3 != 3) {
                    return null;
                }
                int function = bits >>> 27;
                Kind kind = switch (function) {
                    case AtomicValues.LOAD_RESERVED -> Kind.LOAD_RESERVED;
                    case AtomicValues.STORE_CONDITIONAL -> Kind.STORE_CONDITIONAL;
                    case 0b00001, 0b00000, 0b00100, 0b01100, 0b01000, 0b10000, 0b10100, 0b11000, 0b11100 -> Kind.AMO;
                    default -> null;
                };
                if (kind == null) {
                    return null;
                }
                return new MemoryInstruction(kind, funct3 == 2 ? 4 : 8, true, rd(bits), rs1(bits), rs2(bits), 0,
                        function, 4);
            }
            default -> {
                return null;
            }
        }
    }

    private static MemoryInstruction decodeCompressed(int bits) {
        int quadrant = bits & 3;
        int funct3 = bits >>> 13;
        int low = 8 + ((bits >>> 2) & 7);
        int high = 8 + ((bits >>> 7) & 7);
        if (quadrant == 0) {
            long wordOffset = ((bits >>> 10) & 7) << 3 | ((bits >>> 6) & 1) << 2 | ((bits >>> 5) & 1) << 6;
            long doubleOffset = ((bits >>> 10) & 7) << 3 | ((bits >>> 5) & 3) << 6;
            return switch (funct3) {
                case 1 -> new MemoryInstruction(Kind.FLOAT_LOAD, 8, false, low, high, 0, doubleOffset, 0, 2); // C.FLD
                case 2 -> new MemoryInstruction(Kind.LOAD, 4, true, low, high, 0, wordOffset, 0, 2);
                case 3 -> new MemoryInstruction(Kind.LOAD, 8, true, low, high, 0, doubleOffset, 0, 2);
                case 5 -> new MemoryInstruction(Kind.FLOAT_STORE, 8, false, 0, high, low, doubleOffset, 0, 2); // C.FSD
                case 6 -> new MemoryInstruction(Kind.STORE, 4, false, 0, high, low, wordOffset, 0, 2);
                case 7 -> new MemoryInstruction(Kind.STORE, 8, false, 0, high, low, doubleOffset, 0, 2);
                default -> null;
            };
        }
        if (quadrant == 2) {
            int rd = (bits >>> 7) & 0x1f;
            int rs2 = (bits >>> 2) & 0x1f;
            long loadWord = ((bits >>> 12) & 1) << 5 | ((bits >>> 4) & 7) << 2 | ((bits >>> 2) & 3) << 6;
            long loadDouble = ((bits >>> 12) & 1) << 5 | ((bits >>> 5) & 3) << 3 | ((bits >>> 2) & 7) << 6;
            long storeWord = ((bits >>> 9) & 0xf) << 2 | ((bits >>> 7) & 3) << 6;
            long storeDouble = ((bits >>> 10) & 7) << 3 | ((bits >>> 7) & 7) << 6;
            return switch (funct3) {
                case 1 -> new MemoryInstruction(Kind.FLOAT_LOAD, 8, false, rd, 2, 0, loadDouble, 0, 2); // C.FLDSP
                case 2 -> rd == 0 ? null : new MemoryInstruction(Kind.LOAD, 4, true, rd, 2, 0, loadWord, 0, 2);
                case 3 -> rd == 0 ? null : new MemoryInstruction(Kind.LOAD, 8, true, rd, 2, 0, loadDouble, 0, 2);
                case 5 -> new MemoryInstruction(Kind.FLOAT_STORE, 8, false, 0, 2, rs2, storeDouble, 0, 2); // C.FSDSP
                case 6 -> new MemoryInstruction(Kind.STORE, 4, false, 0, 2, rs2, storeWord, 0, 2);
                case 7 -> new MemoryInstruction(Kind.STORE, 8, false, 0, 2, rs2, storeDouble, 0, 2);
                default -> null;
            };
        }
        return null;
    }
}
