package io.vmmlab.cpu.fp;

/**
 * Binary32 and Binary64 behind one long-bits interface, so that one test drives both formats, with Java's own
 * round-to-nearest-even arithmetic as a second oracle.
 */
enum TestFormat {
    BINARY32(24, -126, 127) {
        @Override
        double toDouble(long bits) {
            return Float.intBitsToFloat((int) bits);
        }

        @Override
        long fromDouble(double value) {
            return Integer.toUnsignedLong(Float.floatToRawIntBits((float) value));
        }

        @Override
        double largestFinite() {
            return Float.MAX_VALUE;
        }

        @Override
        long operation(Operation operation, long a, long b, long c, int rm, FpStatus status) {
            int x = (int) a;
            int y = (int) b;
            int result = switch (operation) {
                case ADD -> Binary32.add(x, y, rm, status);
                case SUB -> Binary32.sub(x, y, rm, status);
                case MUL -> Binary32.mul(x, y, rm, status);
                case DIV -> Binary32.div(x, y, rm, status);
                case SQRT -> Binary32.sqrt(x, rm, status);
                case MUL_ADD -> Binary32.mulAdd(x, y, (int) c, rm, status);
            };
            return Integer.toUnsignedLong(result);
        }

        @Override
        long javaNearestEven(Operation operation, long a, long b, long c) {
            float x = Float.intBitsToFloat((int) a);
            float y = Float.intBitsToFloat((int) b);
            float result = switch (operation) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case SQRT -> (float) Math.sqrt(x);
                case MUL_ADD -> Math.fma(x, y, Float.intBitsToFloat((int) c));
            };
            return Integer.toUnsignedLong(Float.floatToRawIntBits(result));
        }
    },
    BINARY64(53, -1022, 1023) {
        @Override
        double toDouble(long bits) {
            return Double.longBitsToDouble(bits);
        }

        @Override
        long fromDouble(double value) {
            return Double.doubleToRawLongBits(value);
        }

        @Override
        double largestFinite() {
            return Double.MAX_VALUE;
        }

        @Override
        long operation(Operation operation, long a, long b, long c, int rm, FpStatus status) {
            return switch (operation) {
                case ADD -> Binary64.add(a, b, rm, status);
                case SUB -> Binary64.sub(a, b, rm, status);
                case MUL -> Binary64.mul(a, b, rm, status);
                case DIV -> Binary64.div(a, b, rm, status);
                case SQRT -> Binary64.sqrt(a, rm, status);
                case MUL_ADD -> Binary64.mulAdd(a, b, c, rm, status);
            };
        }

        @Override
        long javaNearestEven(Operation operation, long a, long b, long c) {
            double x = Double.longBitsToDouble(a);
            double y = Double.longBitsToDouble(b);
            double result = switch (operation) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case SQRT -> Math.sqrt(x);
                case MUL_ADD -> Math.fma(x, y, Double.longBitsToDouble(c));
            };
            return Double.doubleToRawLongBits(result);
        }
    };

    /** The arithmetic operations that round. */
    enum Operation {
        ADD, SUB, MUL, DIV, SQRT, MUL_ADD
    }

    private final int precision;
    private final int minExponent;
    private final int maxExponent;

    TestFormat(int precision, int minExponent, int maxExponent) {
        this.precision = precision;
        this.minExponent = minExponent;
        this.maxExponent = maxExponent;
    }

    int precision() {
        return precision;
    }

    int minExponent() {
        return minExponent;
    }

    int maxExponent() {
        return maxExponent;
    }

    int width() {
        return precision == 24 ? 32 : 64;
    }

    long canonicalNan() {
        return precision == 24 ? Binary32.CANONICAL_NAN : Binary64.CANONICAL_NAN;
    }

    long signBit() {
        return 1L << (width() - 1);
    }

    boolean isNan(long bits) {
        return Double.isNaN(toDouble(bits));
    }

    /** A NaN whose quiet bit (the fraction's most significant bit) is clear. */
    boolean isSignalingNan(long bits) {
        return isNan(bits) && (bits & (1L << (precision - 2))) == 0;
    }

    abstract double toDouble(long bits);

    abstract long fromDouble(double value);

    abstract double largestFinite();

    abstract long operation(Operation operation, long a, long b, long c, int rm, FpStatus status);

    abstract long javaNearestEven(Operation operation, long a, long b, long c);
}
