package io.vmmlab.cpu.exec;

/**
 * The M extension's operations whose RISC-V results differ from Java's operators: unsigned and mixed-sign high
 * products, and division by zero or overflow, which never trap (ISA manual, unprivileged volume, "M" Standard
 * Extension, table "Semantics for division by zero and division overflow").
 */
final class MultiplyDivide {
    private MultiplyDivide() {
    }

    static long mulhu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    static long mulhsu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
    }

    static long div(long a, long b) {
        return b == 0 ? -1 : a / b;
    }

    static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    static long rem(long a, long b) {
        return b == 0 ? a : a % b;
    }

    static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long divw(int a, int b) {
        return b == 0 ? -1 : a / b;
    }

    static long divuw(int a, int b) {
        return b == 0 ? -1 : Integer.divideUnsigned(a, b);
    }

    static long remw(int a, int b) {
        return b == 0 ? a : a % b;
    }

    static long remuw(int a, int b) {
        return b == 0 ? a : Integer.remainderUnsigned(a, b);
    }
}
