package io.vmmlab.cpu.testing;

import java.util.OptionalLong;

/**
 * Zba, Zbb, Zbc, Zbs, Zicond, Zbkb and Zbkx for the test reference models, written from the ISA manual's
 * instruction descriptions bit by bit
 * (loops over bits and bytes), apart from the hart's decoder and executor: decodes the instruction bits itself.
 */
public final class ReferenceBitManip {
    private ReferenceBitManip() {
    }

    /**
     * Executes a bit-manipulation instruction.
     *
     * @param insn the instruction bits
     * @param a rs1's value
     * @param b rs2's value
     * @return rd's new value, or empty when the bits are not an instruction of those extensions
     */
    public static OptionalLong execute(int insn, long a, long b) {
        int opcode = insn & 0x7f;
        int funct3 = (insn >>> 12) & 7;
        int funct7 = insn >>> 25;
        int rs2 = (insn >>> 20) & 0x1f;
        int shamt6 = (insn >>> 20) & 0x3f;
        int top6 = insn >>> 26;
        Long result = switch (opcode) {
            case 0x33 -> op(funct3, funct7, a, b);
            case 0x3b -> op32(funct3, funct7, rs2, a, b);
            case 0x13 -> opImm(funct3, insn >>> 20, top6, shamt6, a);
            case 0x1b -> opImm32(funct3, insn >>> 20, top6, funct7, shamt6, a);
            default -> null;
        };
        return result == null ? OptionalLong.empty() : OptionalLong.of(result);
    }

    private static Long op(int funct3, int funct7, long a, long b) {
        int index = (int) (b & 63);
        if (funct7 == 0x20 && funct3 == 7) {
            return a & ~b;
        }
        if (funct7 == 0x20 && funct3 == 6) {
            return a | ~b;
        }
        if (funct7 == 0x20 && funct3 == 4) {
            return ~(a ^ b);
        }
        if (funct7 == 0x05 && funct3 >= 1 && funct3 <= 3) {
            // The whole 128-bit carry-less product, then the part each instruction keeps.
            long low = 0;
            long high = 0;
            for (int position = 0; position < 64; position++) {
                if (bit(b, position) == 1) {
                    low ^= a << position;
                    high ^= position == 0 ? 0 : a >>> (64 - position);
                }
            }
            return funct3 == 1 ? low : funct3 == 3 ? high : high << 1 | low >>> 63;
        }
        if (funct7 == 0x05) {
            return switch (funct3) {
                case 4 -> a < b ? a : b;
                case 5 -> unsignedLess(a, b) ? a : b;
                case 6 -> a < b ? b : a;
                case 7 -> unsignedLess(a, b) ? b : a;
                default -> null;
            };
        }
        if (funct7 == 0x30 && (funct3 == 1 || funct3 == 5)) {
            return rotate(a, funct3 == 1 ? index : (64 - index) % 64, 64);
        }
        if (funct7 == 0x10 && (funct3 == 2 || funct3 == 4 || funct3 == 6)) {
            return b + a * (1L << (funct3 / 2));
        }
        if (funct7 == 0x24 && funct3 == 1) {
            return withBit(a, index, 0);
        }
        if (funct7 == 0x24 && funct3 == 5) {
            return bit(a, index);
        }
        if (funct7 == 0x34 && funct3 == 1) {
            return withBit(a, index, 1 - bit(a, index));
        }
        if (funct7 == 0x14 && funct3 == 1) {
            return withBit(a, index, 1);
        }
        if (funct7 == 0x07 && (funct3 == 5 || funct3 == 7)) { // czero.eqz, czero.nez
            boolean conditionZero = population(b, 64) == 0;
            return conditionZero == (funct3 == 5) ? 0L : a;
        }
        if (funct7 == 0x04 && (funct3 == 4 || funct3 == 7)) { // pack (32 + 32 bits), packh (8 + 8 bits)
            int half = funct3 == 4 ? 32 : 8;
            long result = 0;
            for (int position = 0; position < half; position++) {
                result = withBit(result, position, bit(a, position));
                result = withBit(result, half + position, bit(b, position));
            }
            return result;
        }
        if (funct7 == 0x14 && (funct3 == 2 || funct3 == 4)) { // xperm4, xperm8
            int width = funct3 == 2 ? 4 : 8;
            long result = 0;
            for (int element = 0; element < 64 / width; element++) {
                long lookup = 0;
                for (int position = 0; position < width; position++) {
                    lookup |= bit(b, element * width + position) << position;
                }
                for (int position = 0; position < width; position++) {
                    long source = lookup * width + position;
                    result = withBit(result, element * width + position, source < 64 ? bit(a, (int) source) : 0);
                }
            }
            return result;
        }
        return null;
    }

    private static Long op32(int funct3, int funct7, int rs2, long a, long b) {
        long lowWord = a & 0xffff_ffffL;
        if (funct7 == 0x04 && funct3 == 0) {
            return b + lowWord;
        }
        if (funct7 == 0x04 && funct3 == 4 && rs2 == 0) {
            return a & 0xffff;
        }
        if (funct7 == 0x04 && funct3 == 4) { // packw: 16 + 16 bits, sign-extended
            long result = 0;
            for (int position = 0; position < 16; position++) {
                result = withBit(result, position, bit(a, position));
                result = withBit(result, 16 + position, bit(b, position));
            }
            return signExtendWord(result);
        }
        if (funct7 == 0x10 && (funct3 == 2 || funct3 == 4 || funct3 == 6)) {
            return b + lowWord * (1L << (funct3 / 2));
        }
        if (funct7 == 0x30 && (funct3 == 1 || funct3 == 5)) {
            int amount = (int) (b & 31);
            return signExtendWord(rotate(lowWord, funct3 == 1 ? amount : (32 - amount) % 32, 32));
        }
        return null;
    }

    private static Long opImm(int funct3, int funct12, int top6, int shamt, long a) {
        if (funct3 == 1) {
            switch (funct12) {
                case 0x600: return (long) leadingZeros(a, 64);
                case 0x601: return (long) trailingZeros(a, 64);
                case 0x602: return (long) population(a, 64);
                case 0x604: return signExtend(a, 8);
                case 0x605: return signExtend(a, 16);
                default: break;
            }
            return switch (top6) {
                case 0x12 -> withBit(a, shamt, 0);
                case 0x1a -> withBit(a, shamt, 1 - bit(a, shamt));
                case 0x0a -> withBit(a, shamt, 1);
                default -> null;
            };
        }
        if (funct3 == 5) {
            if (funct12 == 0x287) {
                long result = 0;
                for (int octet = 0; octet < 8; octet++) {
                    if (((a >>> (8 * octet)) & 0xff) != 0) {
                        result |= 0xffL << (8 * octet);
                    }
                }
                return result;
            }
            if (funct12 == 0x687) { // brev8
                long result = 0;
                for (int position = 0; position < 64; position++) {
                    int mirrored = (position & ~7) + 7 - (position & 7);
                    result = withBit(result, mirrored, bit(a, position));
                }
                return result;
            }
            if (funct12 == 0x6b8) {
                long result = 0;
                for (int octet = 0; octet < 8; octet++) {
                    result |= ((a >>> (8 * octet)) & 0xff) << (8 * (7 - octet));
                }
                return result;
            }
            return switch (top6) {
                case 0x18 -> rotate(a, (64 - shamt) % 64, 64);
                case 0x12 -> bit(a, shamt);
                default -> null;
            };
        }
        return null;
    }

    private static Long opImm32(int funct3, int funct12, int top6, int funct7, int shamt6, long a) {
        long lowWord = a & 0xffff_ffffL;
        if (funct3 == 1 && top6 == 0x02) {
            return lowWord * (1L << shamt6);
        }
        if (funct3 == 1) {
            return switch (funct12) {
                case 0x600 -> (long) leadingZeros(lowWord, 32);
                case 0x601 -> (long) trailingZeros(lowWord, 32);
                case 0x602 -> (long) population(lowWord, 32);
                default -> null;
            };
        }
        if (funct3 == 5 && funct7 == 0x30) {
            int amount = shamt6 & 31;
            return signExtendWord(rotate(lowWord, (32 - amount) % 32, 32));
        }
        return null;
    }

    private static boolean unsignedLess(long a, long b) {
        return (a ^ Long.MIN_VALUE) < (b ^ Long.MIN_VALUE);
    }

    /** Rotates the low {@code width} bits left by {@code amount}, one bit at a time. */
    private static long rotate(long value, int amount, int width) {
        long result = value;
        for (int step = 0; step < amount; step++) {
            long top = bit(result, width - 1);
            result = (result << 1 | top) & (width == 64 ? -1L : (1L << width) - 1);
        }
        return result;
    }

    private static long bit(long value, int index) {
        return (value >>> index) & 1;
    }

    private static long withBit(long value, int index, long bit) {
        return bit == 0 ? value & ~(1L << index) : value | (1L << index);
    }

    private static int leadingZeros(long value, int width) {
        int count = 0;
        for (int index = width - 1; index >= 0 && bit(value, index) == 0; index--) {
            count++;
        }
        return count;
    }

    private static int trailingZeros(long value, int width) {
        int count = 0;
        for (int index = 0; index < width && bit(value, index) == 0; index++) {
            count++;
        }
        return count;
    }

    private static int population(long value, int width) {
        int count = 0;
        for (int index = 0; index < width; index++) {
            count += (int) bit(value, index);
        }
        return count;
    }

    private static long signExtend(long value, int bits) {
        long sign = bit(value, bits - 1);
        long low = value & ((1L << bits) - 1);
        return sign == 0 ? low : low | (-1L << bits);
    }

    private static long signExtendWord(long value) {
        return signExtend(value, 32);
    }
}
