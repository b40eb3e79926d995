package io.vmmlab.cpu.testing;

import java.util.OptionalLong;

/**
 * The RV64 scalar cryptography instructions of Zknd, Zkne, Zknh, Zksed and Zksh for the test reference models, written
 * from the algorithms' own standards rather than from the hart's code: GF(2^8) products by shift and add, the AES
 * S-box from its definition (FIPS 197, 5.1.1: the multiplicative inverse, found by search, then the affine
 * transform), ShiftRows and MixColumns on the whole 128-bit state, rotations one bit at a time (FIPS 180-4 for
 * SHA-2, GB/T 32905 for SM3), and the SM4 S-box from its algebraic form (an affine map, the inverse modulo
 * x^8 + x^7 + x^6 + x^5 + x^4 + x^2 + 1, the same affine map) with the standard's linear transforms L and L' on the
 * big-endian words (a RISC-V register holds such a word byte-swapped, as a little-endian load leaves it). Decodes
 * the instruction bits itself.
 */
public final class ReferenceCrypto {
    private static final int[] AES_SBOX = new int[256];
    private static final int[] SM4_SBOX = new int[256];

    static {
        for (int value = 0; value < 256; value++) {
            int inverse = inverse(value, 0x11b);
            int affine = 0;
            for (int index = 0; index < 8; index++) {
                int bit = bit(inverse, index) ^ bit(inverse, (index + 4) % 8) ^ bit(inverse, (index + 5) % 8)
                        ^ bit(inverse, (index + 6) % 8) ^ bit(inverse, (index + 7) % 8) ^ bit(0x63, index);
                affine |= bit << index;
            }
            AES_SBOX[value] = affine;
            SM4_SBOX[value] = sm4Affine(inverse(sm4Affine(value), 0x1f5));
        }
    }

    private ReferenceCrypto() {
    }

    /**
     * Executes a scalar cryptography instruction.
     *
     * @param insn the instruction bits
     * @param a rs1's value
     * @param b rs2's value
     * @return rd's new value, or empty when the bits are not one of these instructions
     */
    public static OptionalLong execute(int insn, long a, long b) {
        int opcode = insn & 0x7f;
        int funct3 = (insn >>> 12) & 7;
        if (opcode == 0x33 && funct3 == 0) {
            int funct7 = insn >>> 25;
            Long result = switch (funct7) {
                case 0x19 -> subBytes(shiftRows(a, b, 1), false);
                case 0x1b -> mixColumns(subBytes(shiftRows(a, b, 1), false), false);
                case 0x1d -> subBytes(shiftRows(a, b, -1), true);
                case 0x1f -> mixColumns(subBytes(shiftRows(a, b, -1), true), true);
                case 0x3f -> keySchedule2(a, b);
                default -> sm4OrNone(a, b, funct7);
            };
            return result == null ? OptionalLong.empty() : OptionalLong.of(result);
        }
        if (opcode != 0x13 || funct3 != 1) {
            return OptionalLong.empty();
        }
        int funct12 = insn >>> 20;
        if ((funct12 & 0xff0) == 0x310 && (funct12 & 0xf) <= 10) {
            return OptionalLong.of(keySchedule1(a, funct12 & 0xf));
        }
        Long result = switch (funct12) {
            case 0x300 -> mixColumns(a, true);
            case 0x102 -> word(rotr(a, 7, 32) ^ rotr(a, 18, 32) ^ shr(a, 3, 32));
            case 0x103 -> word(rotr(a, 17, 32) ^ rotr(a, 19, 32) ^ shr(a, 10, 32));
            case 0x100 -> word(rotr(a, 2, 32) ^ rotr(a, 13, 32) ^ rotr(a, 22, 32));
            case 0x101 -> word(rotr(a, 6, 32) ^ rotr(a, 11, 32) ^ rotr(a, 25, 32));
            case 0x106 -> rotr(a, 1, 64) ^ rotr(a, 8, 64) ^ shr(a, 7, 64);
            case 0x107 -> rotr(a, 19, 64) ^ rotr(a, 61, 64) ^ shr(a, 6, 64);
            case 0x104 -> rotr(a, 28, 64) ^ rotr(a, 34, 64) ^ rotr(a, 39, 64);
            case 0x105 -> rotr(a, 14, 64) ^ rotr(a, 18, 64) ^ rotr(a, 41, 64);
            case 0x108 -> word(a ^ rotr(a, 32 - 9, 32) ^ rotr(a, 32 - 17, 32));
            case 0x109 -> word(a ^ rotr(a, 32 - 15, 32) ^ rotr(a, 32 - 23, 32));
            default -> null;
        };
        return result == null ? OptionalLong.empty() : OptionalLong.of(result);
    }

    /** The AES S-box, from its definition. */
    public static int aesSbox(int value) {
        return AES_SBOX[value];
    }

    /** The SM4 S-box, from its algebraic form. */
    public static int sm4Sbox(int value) {
        return SM4_SBOX[value];
    }

    /** GF(2^8) product modulo {@code polynomial}, by shift and add. */
    public static int multiply(int left, int right, int polynomial) {
        int product = 0;
        int shifted = left;
        for (int index = 0; index < 8; index++) {
            if (bit(right, index) == 1) {
                product ^= shifted;
            }
            shifted <<= 1;
            if ((shifted & 0x100) != 0) {
                shifted ^= polynomial;
            }
        }
        return product;
    }

    private static int inverse(int value, int polynomial) {
        for (int candidate = 1; candidate < 256; candidate++) {
            if (multiply(value, candidate, polynomial) == 1) {
                return candidate;
            }
        }
        return 0; // zero maps to zero
    }

    /** SM4's affine map: output bit 7 - i is the parity of the input under 0xd3 rotated right by i, then ^ 0xd3. */
    private static int sm4Affine(int value) {
        int result = 0;
        for (int index = 0; index < 8; index++) {
            int row = (0xd3 >>> index | 0xd3 << (8 - index)) & 0xff;
            result |= Integer.bitCount(value & row) % 2 << (7 - index);
        }
        return result ^ 0xd3;
    }

    /**
     * The low 64 bits of the AES state rs2:rs1 (byte 4c + r is row r of column c) after ShiftRows (direction 1:
     * row r of column c from column c + r) or its inverse (-1: from column c - r).
     */
    private static long shiftRows(long low, long high, int direction) {
        int[] state = new int[16];
        for (int index = 0; index < 16; index++) {
            state[index] = (int) ((index < 8 ? low >>> (8 * index) : high >>> (8 * (index - 8))) & 0xff);
        }
        long result = 0;
        for (int column = 0; column < 2; column++) {
            for (int row = 0; row < 4; row++) {
                int from = Math.floorMod(column + direction * row, 4);
                result |= (long) state[4 * from + row] << (8 * (4 * column + row));
            }
        }
        return result;
    }

    private static long subBytes(long value, boolean inverse) {
        long result = 0;
        for (int index = 0; index < 8; index++) {
            int input = (int) (value >>> (8 * index)) & 0xff;
            int output = -1;
            if (inverse) {
                for (int candidate = 0; candidate < 256 && output < 0; candidate++) {
                    output = AES_SBOX[candidate] == input ? candidate : -1;
                }
            } else {
                output = AES_SBOX[input];
            }
            result |= (long) output << (8 * index);
        }
        return result;
    }

    /** MixColumns (or its inverse) on both 32-bit columns, with the standard's circulant matrices. */
    private static long mixColumns(long value, boolean inverse) {
        int[] row = inverse ? new int[] {0x0e, 0x0b, 0x0d, 0x09} : new int[] {0x02, 0x03, 0x01, 0x01};
        long result = 0;
        for (int column = 0; column < 2; column++) {
            for (int out = 0; out < 4; out++) {
                int sum = 0;
                for (int in = 0; in < 4; in++) {
                    int element = (int) (value >>> (8 * (4 * column + in))) & 0xff;
                    sum ^= multiply(row[Math.floorMod(in - out, 4)], element, 0x11b);
                }
                result |= (long) sum << (8 * (4 * column + out));
            }
        }
        return result;
    }

    /** AES64KS1I: RotWord (unless round 10), SubWord, Rcon, in both halves (FIPS 197, 5.2). */
    private static long keySchedule1(long a, int round) {
        int[] rcon = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36, 0x00};
        int[] word = new int[4];
        for (int index = 0; index < 4; index++) {
            word[index] = (int) (a >>> (32 + 8 * index)) & 0xff;
        }
        long result = 0;
        for (int index = 0; index < 4; index++) {
            int source = round == 10 ? index : (index + 1) % 4;
            int value = AES_SBOX[word[source]] ^ (index == 0 ? rcon[round] : 0);
            result |= (long) value << (8 * index) | (long) value << (32 + 8 * index);
        }
        return result;
    }

    private static long keySchedule2(long a, long b) {
        long first = shr(a, 32, 64) ^ (b & 0xffff_ffffL);
        long second = first ^ shr(b, 32, 64);
        return second << 32 | first;
    }

    private static Long sm4OrNone(long a, long b, int funct7) {
        if ((funct7 & 0x1f) == 0x18) {
            return sm4(a, b, funct7 >>> 5, false);
        }
        if ((funct7 & 0x1f) == 0x1a) {
            return sm4(a, b, funct7 >>> 5, true);
        }
        return null;
    }

    /** SM4ED / SM4KS: T (or T') of the byte, taken in the standard's big-endian word, XORed into rs1. */
    private static long sm4(long a, long b, int select, boolean keySchedule) {
        long register = (long) SM4_SBOX[(int) (b >>> (8 * select)) & 0xff] << (8 * select);
        long standard = byteSwap(register);
        long transformed = keySchedule ? standard ^ rotr(standard, 32 - 13, 32) ^ rotr(standard, 32 - 23, 32)
                : standard ^ rotr(standard, 32 - 2, 32) ^ rotr(standard, 32 - 10, 32) ^ rotr(standard, 32 - 18, 32)
                ^ rotr(standard, 32 - 24, 32);
        return word(a ^ byteSwap(transformed));
    }

    private static long byteSwap(long word) {
        long result = 0;
        for (int index = 0; index < 4; index++) {
            result |= (word >>> (8 * index) & 0xff) << (8 * (3 - index));
        }
        return result;
    }

    /** Rotates the low {@code width} bits right by {@code amount}, one bit at a time. */
    private static long rotr(long value, int amount, int width) {
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long result = value & mask;
        for (int step = 0; step < amount; step++) {
            result = (result >>> 1 | (result & 1) << (width - 1)) & mask;
        }
        return result;
    }

    private static long shr(long value, int amount, int width) {
        return (width == 64 ? value : value & ((1L << width) - 1)) >>> amount;
    }

    /** The low 32 bits, sign-extended. */
    private static long word(long value) {
        long low = value & 0xffff_ffffL;
        return (low & 0x8000_0000L) == 0 ? low : low | 0xffff_ffff_0000_0000L;
    }

    private static int bit(int value, int index) {
        return (value >>> index) & 1;
    }
}
