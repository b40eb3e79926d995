package io.vmmlab.cpu.testing;

/**
 * The integer and M-extension arithmetic of the test reference models ({@link ReferenceModel}, the fuzz campaign's
 * {@code FuzzReference}), written from the ISA manual's instruction descriptions, apart from the hart's executors.
 */
public final class ReferenceAlu {
    private ReferenceAlu() {
    }

    /** OP/OP-IMM (RV64I register-register and immediate forms): the result. */
    public static long integer(int funct3, int funct7, long a, long b) {
        int shamt = (int) (b & 63);
        return switch (funct3) {
            case 0 -> funct7 == 0x20 ? a - b : a + b;
            case 1 -> a << shamt;
            case 2 -> a < b ? 1 : 0;
            case 3 -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case 4 -> a ^ b;
            case 5 -> funct7 == 0x20 ? a >> shamt : a >>> shamt;
            case 6 -> a | b;
            default -> a & b;
        };
    }

    /** OP-32/OP-IMM-32 (the W forms, before sign extension by the caller's set). */
    public static long integerWord(int funct3, int funct7, int a, int b) {
        int shamt = b & 31;
        return switch (funct3) {
            case 0 -> funct7 == 0x20 ? a - b : a + b;
            case 1 -> a << shamt;
            default -> funct7 == 0x20 ? a >> shamt : a >>> shamt;
        };
    }

    /**
     * OP-IMM: the result of {@code funct3} on {@code a} and the immediate (shift amounts from its low six bits;
     * arithmetic right shift when the instruction's bits 31:26 are 010000).
     */
    public static long immediate(int funct3, int insn, long a, long imm) {
        return integer(funct3, funct3 == 5 && (insn >>> 26) == 0x10 ? 0x20 : 0, a, imm);
    }

    /** OP-IMM-32 (ADDIW, SLLIW, SRLIW, SRAIW: arithmetic when bits 31:25 are 0100000), before sign extension. */
    public static long immediateWord(int funct3, int insn, int a, int imm) {
        return integerWord(funct3, funct3 == 5 && (insn >>> 25) == 0x20 ? 0x20 : 0, a, imm);
    }

    /** The M extension's 64-bit operations, division by zero and overflow as the spec's table says. */
    public static long multiply(int funct3, long a, long b) {
        java.math.BigInteger wideA = java.math.BigInteger.valueOf(a);
        java.math.BigInteger wideB = java.math.BigInteger.valueOf(b);
        java.math.BigInteger unsignedA = new java.math.BigInteger(Long.toUnsignedString(a));
        java.math.BigInteger unsignedB = new java.math.BigInteger(Long.toUnsignedString(b));
        return switch (funct3) {
            case 0 -> a * b;
            case 1 -> wideA.multiply(wideB).shiftRight(64).longValue();
            case 2 -> wideA.multiply(unsignedB).shiftRight(64).longValue();
            case 3 -> unsignedA.multiply(unsignedB).shiftRight(64).longValue();
            case 4 -> b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1 ? a : a / b);
            case 5 -> b == 0 ? -1 : Long.divideUnsigned(a, b);
            case 6 -> b == 0 ? a : (a == Long.MIN_VALUE && b == -1 ? 0 : a % b);
            default -> b == 0 ? a : Long.remainderUnsigned(a, b);
        };
    }

    /** The M extension's W forms. */
    public static long multiplyWord(int funct3, int a, int b) {
        return switch (funct3) {
            case 0 -> a * b;
            case 4 -> b == 0 ? -1 : (a == Integer.MIN_VALUE && b == -1 ? a : a / b);
            case 5 -> b == 0 ? -1 : Integer.divideUnsigned(a, b);
            case 6 -> b == 0 ? a : (a == Integer.MIN_VALUE && b == -1 ? 0 : a % b);
            default -> b == 0 ? a : Integer.remainderUnsigned(a, b);
        };
    }
}
