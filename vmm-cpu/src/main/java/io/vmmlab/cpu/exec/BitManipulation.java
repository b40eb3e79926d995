package io.vmmlab.cpu.exec;

import static io.vmmlab.cpu.decode.BitManipEncoding.*;

/**
 * What the Zba, Zbb, Zbc and Zbs instructions compute (RV64), and those of Zicond, Zbkb and Zbkx (Zbkc's are
 * Zbc's CLMUL and CLMULH). One small method per operation, each taking rs1's value and
 * the second operand (rs2's value, or the shift amount of an immediate form): the translator calls them by name,
 * where the JIT inlines each; the interpreter goes through {@link #compute}.
 */
public final class BitManipulation {
    /** The operations' method names, by selector ({@link io.vmmlab.cpu.decode.BitManipEncoding}). */
    private static final String[] NAMES = {
        "addUw", "sh1add", "sh2add", "sh3add", "sh1addUw", "sh2addUw", "sh3addUw", "slliUw",
        "andn", "orn", "xnor", "clz", "clzw", "ctz", "ctzw", "cpop", "cpopw", "max", "maxu", "min", "minu",
        "sextB", "sextH", "zextH", "rol", "rolw", "ror", "ror", "rorw", "rorw", "orcB", "rev8",
        "bclr", "bclr", "bext", "bext", "binv", "binv", "bset", "bset", "clmul", "clmulh", "clmulr",
        "czeroEqz", "czeroNez", "pack", "packh", "packw", "brev8", "xperm4", "xperm8",
    };

    private BitManipulation() {
    }

    /**
     * Returns the name of the static method ({@code (JJ)J}) that computes a selector's operation.
     *
     * @param selector a selector
     * @return the method's name
     */
    public static String methodName(int selector) {
        return NAMES[selector];
    }

    /**
     * Computes a decoded instruction.
     *
     * @param immediate the {@link io.vmmlab.cpu.decode.Opcodes#BITMANIP} immediate: selector and shift amount
     * @param a rs1's value
     * @param b rs2's value (ignored by the unary and immediate forms)
     * @return rd's new value
     */
    public static long compute(int immediate, long a, long b) {
        int selector = immediate >>> 6;
        long second = immediateForm(selector) ? immediate & 0x3f : b;
        return switch (selector) {
            case ADD_UW -> addUw(a, second);
            case SH1ADD -> sh1add(a, second);
            case SH2ADD -> sh2add(a, second);
            case SH3ADD -> sh3add(a, second);
            case SH1ADD_UW -> sh1addUw(a, second);
            case SH2ADD_UW -> sh2addUw(a, second);
            case SH3ADD_UW -> sh3addUw(a, second);
            case SLLI_UW -> slliUw(a, second);
            case ANDN -> andn(a, second);
            case ORN -> orn(a, second);
            case XNOR -> xnor(a, second);
            case CLZ -> clz(a, second);
            case CLZW -> clzw(a, second);
            case CTZ -> ctz(a, second);
            case CTZW -> ctzw(a, second);
            case CPOP -> cpop(a, second);
            case CPOPW -> cpopw(a, second);
            case MAX -> max(a, second);
            case MAXU -> maxu(a, second);
            case MIN -> min(a, second);
            case MINU -> minu(a, second);
            case SEXT_B -> sextB(a, second);
            case SEXT_H -> sextH(a, second);
            case ZEXT_H -> zextH(a, second);
            case ROL -> rol(a, second);
            case ROLW -> rolw(a, second);
            case ROR, RORI -> ror(a, second);
            case RORW, RORIW -> rorw(a, second);
            case ORC_B -> orcB(a, second);
            case REV8 -> rev8(a, second);
            case BCLR, BCLRI -> bclr(a, second);
            case BEXT, BEXTI -> bext(a, second);
            case BINV, BINVI -> binv(a, second);
            case BSET, BSETI -> bset(a, second);
            case CLMUL -> clmul(a, second);
            case CLMULH -> clmulh(a, second);
            case CLMULR -> clmulr(a, second);
            case CZERO_EQZ -> czeroEqz(a, second);
            case CZERO_NEZ -> czeroNez(a, second);
            case PACK -> pack(a, second);
            case PACKH -> packh(a, second);
            case PACKW -> packw(a, second);
            case BREV8 -> brev8(a, second);
            case XPERM4 -> xperm4(a, second);
            case XPERM8 -> xperm8(a, second);
            default -> throw new IllegalStateException("not a bit-manipulation selector: " + selector);
        };
    }

    /** ADD.UW: rs2 plus rs1's low word, zero-extended. */
    public static long addUw(long a, long b) {
        return b + (a & 0xffff_ffffL);
    }

    public static long sh1add(long a, long b) {
        return b + (a << 1);
    }

    public static long sh2add(long a, long b) {
        return b + (a << 2);
    }

    public static long sh3add(long a, long b) {
        return b + (a << 3);
    }

    public static long sh1addUw(long a, long b) {
        return b + ((a & 0xffff_ffffL) << 1);
    }

    public static long sh2addUw(long a, long b) {
        return b + ((a & 0xffff_ffffL) << 2);
    }

    public static long sh3addUw(long a, long b) {
        return b + ((a & 0xffff_ffffL) << 3);
    }

    /** SLLI.UW: rs1's low word, zero-extended, shifted left by the shift amount. */
    public static long slliUw(long a, long shamt) {
        return (a & 0xffff_ffffL) << shamt;
    }

    public static long andn(long a, long b) {
        return a & ~b;
    }

    public static long orn(long a, long b) {
        return a | ~b;
    }

    public static long xnor(long a, long b) {
        return ~(a ^ b);
    }

    /** CLZ: leading zeros, 64 for zero. */
    public static long clz(long a, long unused) {
        return Long.numberOfLeadingZeros(a);
    }

    /** CLZW: leading zeros of the low word, 32 for zero. */
    public static long clzw(long a, long unused) {
        return Integer.numberOfLeadingZeros((int) a);
    }

    public static long ctz(long a, long unused) {
        return Long.numberOfTrailingZeros(a);
    }

    public static long ctzw(long a, long unused) {
        return Integer.numberOfTrailingZeros((int) a);
    }

    public static long cpop(long a, long unused) {
        return Long.bitCount(a);
    }

    public static long cpopw(long a, long unused) {
        return Integer.bitCount((int) a);
    }

    public static long max(long a, long b) {
        return Math.max(a, b);
    }

    public static long maxu(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    public static long min(long a, long b) {
        return Math.min(a, b);
    }

    public static long minu(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public static long sextB(long a, long unused) {
        return (byte) a;
    }

    public static long sextH(long a, long unused) {
        return (short) a;
    }

    public static long zextH(long a, long unused) {
        return a & 0xffff;
    }

    /** ROL: rotate left by rs2's low six bits. */
    public static long rol(long a, long b) {
        return Long.rotateLeft(a, (int) b);
    }

    /** ROLW: the low word rotated left by rs2's low five bits, sign-extended. */
    public static long rolw(long a, long b) {
        return Integer.rotateLeft((int) a, (int) b);
    }

    /** ROR, RORI: rotate right by the low six bits of rs2 or the shift amount. */
    public static long ror(long a, long b) {
        return Long.rotateRight(a, (int) b);
    }

    /** RORW, RORIW: the low word rotated right by five bits' worth, sign-extended. */
    public static long rorw(long a, long b) {
        return Integer.rotateRight((int) a, (int) b);
    }

    /** ORC.B: each byte all ones when any of its bits is set, else zero. */
    public static long orcB(long a, long unused) {
        long low = (a | a >>> 1 | a >>> 2 | a >>> 3 | a >>> 4 | a >>> 5 | a >>> 6 | a >>> 7) & 0x0101_0101_0101_0101L;
        return low * 0xff;
    }

    public static long rev8(long a, long unused) {
        return Long.reverseBytes(a);
    }

    /** BCLR, BCLRI: clear bit (b mod 64). */
    public static long bclr(long a, long b) {
        return a & ~(1L << b);
    }

    /** BEXT, BEXTI: bit (b mod 64), as 0 or 1. */
    public static long bext(long a, long b) {
        return (a >>> b) & 1;
    }

    public static long binv(long a, long b) {
        return a ^ (1L << b);
    }

    public static long bset(long a, long b) {
        return a | (1L << b);
    }

    /** CLMUL: the low 64 bits of the carry-less product. */
    public static long clmul(long a, long b) {
        long product = 0;
        for (long rest = b; rest != 0; rest &= rest - 1) {
            product ^= a << Long.numberOfTrailingZeros(rest);
        }
        return product;
    }

    /** CLMULH: the high 64 bits of the carry-less product. */
    public static long clmulh(long a, long b) {
        long product = 0;
        for (long rest = b & ~1L; rest != 0; rest &= rest - 1) {
            product ^= a >>> (64 - Long.numberOfTrailingZeros(rest));
        }
        return product;
    }

    /** CLMULR: bits 126 to 63 of the carry-less product. */
    public static long clmulr(long a, long b) {
        long product = 0;
        for (long rest = b; rest != 0; rest &= rest - 1) {
            product ^= a >>> (63 - Long.numberOfTrailingZeros(rest));
        }
        return product;
    }

    /** CZERO.EQZ: zero when the condition (rs2) is zero, else rs1. */
    public static long czeroEqz(long a, long condition) {
        return condition == 0 ? 0 : a;
    }

    /** CZERO.NEZ: zero when the condition (rs2) is not zero, else rs1. */
    public static long czeroNez(long a, long condition) {
        return condition != 0 ? 0 : a;
    }

    /** PACK: rs1's low word in the low half, rs2's in the high half. */
    public static long pack(long a, long b) {
        return (a & 0xffff_ffffL) | b << 32;
    }

    /** PACKH: rs1's low byte, then rs2's, zero-extended. */
    public static long packh(long a, long b) {
        return (a & 0xff) | (b & 0xff) << 8;
    }

    /** PACKW: rs1's low 16 bits, then rs2's, sign-extended from bit 31. */
    public static long packw(long a, long b) {
        return (int) ((a & 0xffff) | (b & 0xffff) << 16);
    }

    /** BREV8: the bits of each byte reversed, the bytes in place. */
    public static long brev8(long a, long unused) {
        return Long.reverseBytes(Long.reverse(a));
    }

    /** XPERM4: each nibble of rs2 replaced by the nibble of rs1 it indexes (every index is in range on RV64). */
    public static long xperm4(long a, long b) {
        long result = 0;
        for (int position = 0; position < 64; position += 4) {
            int index = (int) (b >>> position) & 0xf;
            result |= (a >>> (index << 2) & 0xf) << position;
        }
        return result;
    }

    /** XPERM8: each byte of rs2 replaced by the byte of rs1 it indexes, or zero for an index of 8 or more. */
    public static long xperm8(long a, long b) {
        long result = 0;
        for (int position = 0; position < 64; position += 8) {
            int index = (int) (b >>> position) & 0xff;
            long element = index < 8 ? a >>> (index << 3) & 0xff : 0;
            result |= element << position;
        }
        return result;
    }
}
