package io.vmmlab.cpu.fp;

import java.util.Random;

/**
 * Random operands biased toward what breaks floating-point code: zeros, infinities, NaNs (quiet and signaling),
 * subnormals, the edges of the exponent range, short significands (exact results and halfway cases), powers of
 * two and their neighbours, and operands that cancel each other.
 */
final class OperandGenerator {
    private final TestFormat format;
    private final Random random;
    private final int fractionBits;
    private final long exponentFieldMax;

    OperandGenerator(TestFormat format, long seed) {
        this.format = format;
        this.random = new Random(seed);
        this.fractionBits = format.precision() - 1;
        this.exponentFieldMax = (1L << (format.width() - 1 - fractionBits)) - 1;
    }

    long next() {
        long sign = random.nextBoolean() ? format.signBit() : 0;
        return switch (random.nextInt(12)) {
            case 0 -> special() ^ sign;
            case 1 -> sign | fraction();
            case 2 -> sign | compose(1 + random.nextInt(3), fraction());
            case 3 -> sign | compose(exponentFieldMax - 1 - random.nextInt(3), fraction());
            case 4, 5 -> sign | compose(anyExponentField(), shortFraction());
            case 6 -> sign | nearPowerOfTwo();
            case 7 -> sign | compose(exponentFieldMax - 1 - random.nextInt(64), shortFraction());
            case 8 -> sign | compose(1 + random.nextInt(64), shortFraction());
            default -> random.nextLong() & mask();
        };
    }

    /** An operand close to {@code other}: the same, its negation, or a few units in the last place away. */
    long near(long other) {
        long sign = random.nextBoolean() ? format.signBit() : 0;
        long magnitude = other & (format.signBit() - 1);
        long moved = magnitude + random.nextInt(9) - 4;
        if (moved < 0 || moved > (exponentFieldMax << fractionBits)) {
            moved = magnitude;
        }
        return (moved | sign) & mask();
    }

    int nextRoundingMode() {
        return random.nextInt(5);
    }

    long nextLong() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextLong() >> random.nextInt(64);
            case 2 -> (random.nextBoolean() ? 1L : -1L) << random.nextInt(64);
            default -> (random.nextLong() >>> random.nextInt(64)) ^ (random.nextBoolean() ? -1L : 0);
        };
    }

    private long special() {
        long infinity = exponentFieldMax << fractionBits;
        long quietBit = 1L << (fractionBits - 1);
        long[] values = {0, infinity, infinity | quietBit, infinity | 1, infinity | quietBit | 5,
            infinity | (quietBit - 1), 1, (1L << fractionBits) - 1, 1L << fractionBits, infinity - 1,
            compose(exponentFieldMax / 2, 0), compose(exponentFieldMax / 2 + 1, 0)};
        return values[random.nextInt(values.length)];
    }

    private long fraction() {
        return random.nextLong() & (((1L << fractionBits) - 1) >>> random.nextInt(fractionBits));
    }

    /** A fraction with only a few leading bits set, often exactly representable sums and ties. */
    private long shortFraction() {
        int kept = random.nextInt(5);
        long top = random.nextLong() & ((1L << kept) - 1);
        return top << (fractionBits - kept);
    }

    private long nearPowerOfTwo() {
        long power = compose(anyExponentField(), 0);
        long moved = power + random.nextInt(5) - 2;
        return moved < 0 ? power : moved & (format.signBit() - 1);
    }

    private long anyExponentField() {
        return 1 + random.nextInt((int) exponentFieldMax - 1);
    }

    private long compose(long exponentField, long fraction) {
        return (exponentField << fractionBits) | fraction;
    }

    private long mask() {
        return format.width() == 32 ? 0xffff_ffffL : -1L;
    }
}
