package io.vmmlab.cpu.fp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

import static io.vmmlab.cpu.fp.FpFormat.BINARY32;
import static io.vmmlab.cpu.fp.FpFormat.BINARY64;
import static io.vmmlab.cpu.fp.FpRounding.NEAREST_EVEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host-arithmetic path ({@link NearestEven}) against the integer implementation ({@link AddMultiply},
 * {@link DivideSqrt}) on the operands where the path's conditions switch: results near the smallest normal number,
 * near the threshold below which it leaves products and quotients to the integer code, near overflow, and operands
 * whose exact error is a single bit far below the result. Value and flags must be the same either way.
 */
final class NearestEvenTest {
    private static final int SAMPLES = 4000;
    private final SplittableRandom random = new SplittableRandom(0x5eed);

    @Test
    void binary64AgreesWithTheIntegerImplementationAtTheEdges() {
        for (double[] pair : doublePairs()) {
            long a = Double.doubleToRawLongBits(pair[0]);
            long b = Double.doubleToRawLongBits(pair[1]);
            same("add", st -> Binary64.add(a, b, NEAREST_EVEN, st),
                    st -> AddMultiply.add(BINARY64, a, b, NEAREST_EVEN, st), pair);
            same("sub", st -> Binary64.sub(a, b, NEAREST_EVEN, st),
                    st -> AddMultiply.subtract(BINARY64, a, b, NEAREST_EVEN, st), pair);
            same("mul", st -> Binary64.mul(a, b, NEAREST_EVEN, st),
                    st -> AddMultiply.multiply(BINARY64, a, b, NEAREST_EVEN, st), pair);
            same("div", st -> Binary64.div(a, b, NEAREST_EVEN, st),
                    st -> DivideSqrt.divide(BINARY64, a, b, NEAREST_EVEN, st), pair);
            same("sqrt", st -> Binary64.sqrt(a, NEAREST_EVEN, st),
                    st -> DivideSqrt.sqrt(BINARY64, a, NEAREST_EVEN, st), pair);
        }
    }

    /**
     * Fused multiply-adds: exact results (integer-valued operands, c cancelling the product's low part exactly or
     * up to one bit), cancellation to tiny or zero results, products and sums near overflow, and random operands.
     */
    @Test
    void binary64FusedMultiplyAddAgreesWithTheIntegerImplementation() {
        // An exact result whose check, r - c, overflows inside TwoSum (TestFloat's case; no flag).
        FpStatus exact = new FpStatus();
        assertThat(Binary64.mulAdd(0xbfee_ffff_ffe0_0000L, 0x7fef_c000_8000_0000L, 0x7fef_ffff_ffff_ffffL,
                NEAREST_EVEN, exact)).isEqualTo(0x7fa3_dff8_41fb_fff8L);
        assertThat(exact.flags).isZero();
        double[] edges = {Double.MIN_NORMAL, 0x1p-900, 0x1p-450, Double.MAX_VALUE, 0x1p511, 1.0, 0x1p52};
        for (int i = 0; i < SAMPLES * 4; i++) {
            double edge = edges[random.nextInt(edges.length)];
            double a = near(edge) * (random.nextBoolean() ? -1 : 1);
            double b = random.nextInt(3) == 0 ? near(1.0) : near(1.0 / edge * (random.nextInt(4) + 1));
            double product = a * b;
            double c = switch (random.nextInt(7)) {
                case 0 -> -product;                                          // cancels to the product's error
                case 1 -> -Math.fma(a, b, 0) + Math.ulp(product) * random.nextInt(-2, 3) / 2; // near cancellation
                case 2 -> near(product) * (random.nextBoolean() ? -1 : 1);   // same magnitude, either sign
                case 3 -> Math.ulp(product) * random.nextInt(-4, 5) / 8;     // far below: ties and single bits
                case 4 -> random.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE;
                case 5 -> random.nextInt(-1000, 1000);                       // integer
                default -> near(edge);
            };
            if (random.nextInt(5) == 0) { // small integers: exact
                a = random.nextInt(-100000, 100000);
                b = random.nextInt(-100000, 100000);
                c = random.nextInt(-100000, 100000);
            }
            long x = Double.doubleToRawLongBits(a);
            long y = Double.doubleToRawLongBits(b);
            long z = Double.doubleToRawLongBits(c);
            FpStatus fastStatus = new FpStatus();
            FpStatus integerStatus = new FpStatus();
            long fast = Binary64.mulAdd(x, y, z, NEAREST_EVEN, fastStatus);
            long integer = FusedMultiplyAdd.mulAdd(BINARY64, x, y, z, NEAREST_EVEN, integerStatus);
            assertThat(fast).as("fma %a %a %a", a, b, c).isEqualTo(integer);
            assertThat(fastStatus.flags).as("fma %a %a %a flags", a, b, c).isEqualTo(integerStatus.flags);
        }
    }

    /**
     * Single-precision fused multiply-adds: the double sum lands exactly halfway between two singles while the exact
     * value lies just below (rounding the double would go up, to even), cancellation, ties, integers, random.
     */
    @Test
    void binary32FusedMultiplyAddAgreesWithTheIntegerImplementation() {
        // (2^-24 (1 + 2^-15)) (1 - 2^-15) + (1 + 2^-23) = 1 + 3 * 2^-24 - 2^-54: rounds down, to 1 + 2^-23.
        float a0 = 0x1p-24f * (1 + 0x1p-15f);
        float b0 = 1 - 0x1p-15f;
        float c0 = 1 + 0x1p-23f;
        sameSingleFma(a0, b0, c0);
        FpStatus halfway = new FpStatus();
        assertThat(Binary32.mulAdd(Float.floatToRawIntBits(a0), Float.floatToRawIntBits(b0),
                Float.floatToRawIntBits(c0), NEAREST_EVEN, halfway)).isEqualTo(Float.floatToRawIntBits(c0));
        float[] edges = {Float.MIN_NORMAL, Float.MAX_VALUE, 0x1p-120f, 1.0f, 0x1p23f};
        for (int i = 0; i < SAMPLES * 4; i++) {
            float edge = edges[random.nextInt(edges.length)];
            float a = (float) near(edge) * (random.nextBoolean() ? -1 : 1);
            float b = random.nextInt(3) == 0 ? (float) near(1.0) : (float) near(1.0 / edge * (random.nextInt(4) + 1));
            float product = a * b;
            float c = switch (random.nextInt(6)) {
                case 0 -> -product;
                case 1 -> -product + Math.ulp(product) * random.nextInt(-2, 3) / 2;
                case 2 -> (float) near(product) * (random.nextBoolean() ? -1 : 1);
                case 3 -> Math.ulp(product) * random.nextInt(-4, 5) / 8;
                case 4 -> random.nextInt(-1000, 1000);
                default -> (float) near(edge);
            };
            if (random.nextInt(5) == 0) {
                a = random.nextInt(-3000, 3000);
                b = random.nextInt(-3000, 3000);
                c = random.nextInt(-3000, 3000);
            }
            sameSingleFma(a, b, c);
        }
    }

    private static void sameSingleFma(float a, float b, float c) {
        int x = Float.floatToRawIntBits(a);
        int y = Float.floatToRawIntBits(b);
        int z = Float.floatToRawIntBits(c);
        FpStatus fastStatus = new FpStatus();
        FpStatus integerStatus = new FpStatus();
        int fast = Binary32.mulAdd(x, y, z, NEAREST_EVEN, fastStatus);
        int integer = (int) FusedMultiplyAdd.mulAdd(BINARY32, x & 0xffff_ffffL, y & 0xffff_ffffL, z & 0xffff_ffffL,
                NEAREST_EVEN, integerStatus);
        assertThat(fast).as("fma.s %a %a %a", a, b, c).isEqualTo(integer);
        assertThat(fastStatus.flags).as("fma.s %a %a %a flags", a, b, c).isEqualTo(integerStatus.flags);
    }

    @Test
    void binary32AgreesWithTheIntegerImplementationAtTheEdges() {
        for (float[] pair : floatPairs()) {
            int a = Float.floatToRawIntBits(pair[0]);
            int b = Float.floatToRawIntBits(pair[1]);
            double[] shown = {pair[0], pair[1]};
            same("add", st -> Binary32.add(a, b, NEAREST_EVEN, st),
                    st -> (int) AddMultiply.add(BINARY32, a & 0xffff_ffffL, b & 0xffff_ffffL, NEAREST_EVEN, st), shown);
            same("mul", st -> Binary32.mul(a, b, NEAREST_EVEN, st),
                    st -> (int) AddMultiply.multiply(BINARY32, a & 0xffff_ffffL, b & 0xffff_ffffL, NEAREST_EVEN, st),
                    shown);
            same("div", st -> Binary32.div(a, b, NEAREST_EVEN, st),
                    st -> (int) DivideSqrt.divide(BINARY32, a & 0xffff_ffffL, b & 0xffff_ffffL, NEAREST_EVEN, st),
                    shown);
            same("sqrt", st -> Binary32.sqrt(a, NEAREST_EVEN, st),
                    st -> (int) DivideSqrt.sqrt(BINARY32, a & 0xffff_ffffL, NEAREST_EVEN, st), shown);
        }
    }

    private static void same(String operation, ToLongFunction<FpStatus> fast, ToLongFunction<FpStatus> integer,
                             double[] operands) {
        FpStatus fastStatus = new FpStatus();
        FpStatus integerStatus = new FpStatus();
        long fastBits = fast.applyAsLong(fastStatus);
        long integerBits = integer.applyAsLong(integerStatus);
        assertThat(fastBits).as("%s %a %a", operation, operands[0], operands[1]).isEqualTo(integerBits);
        assertThat(fastStatus.flags).as("%s %a %a flags", operation, operands[0], operands[1])
                .isEqualTo(integerStatus.flags);
    }

    private List<double[]> doublePairs() {
        double[] edges = {Double.MIN_NORMAL, 0x1p-900, 0x1p-969, 0x1p-1000, Double.MAX_VALUE, 0x1p1023, 1.0};
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            double edge = edges[random.nextInt(edges.length)];
            double a = near(edge);
            double b = switch (random.nextInt(5)) {
                case 0 -> near(edge) * (random.nextBoolean() ? -1 : 1); // sums and differences around the edge
                case 1 -> near(1.0);                                   // products and quotients at the edge
                case 2 -> Math.ulp(a) * random.nextInt(-3, 4) / 4;     // a single bit far below, or ties
                case 3 -> near(1.0 / edge);                            // products near 1, quotients near edge^2
                default -> edge == 1.0 ? near(0x1p-960) : near(edge);  // quotients near 1 or tiny
            };
            pairs.add(new double[] {a, b});
        }
        return pairs;
    }

    private List<float[]> floatPairs() {
        float[] edges = {Float.MIN_NORMAL, Float.MAX_VALUE, 0x1p-120f, 1.0f};
        List<float[]> pairs = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            float edge = edges[random.nextInt(edges.length)];
            float a = (float) near(edge);
            float b = switch (random.nextInt(4)) {
                case 0 -> (float) near(edge) * (random.nextBoolean() ? -1 : 1);
                case 1 -> (float) near(1.0);
                case 2 -> Math.ulp(a) * random.nextInt(-3, 4) / 4;
                default -> (float) near(1.0 / edge);
            };
            pairs.add(new float[] {a, b});
        }
        return pairs;
    }

    /** A value within a few hundred units in the last place of a magnitude, either side, with random low bits. */
    private double near(double magnitude) {
        long bits = Double.doubleToRawLongBits(magnitude) + random.nextLong(-300, 300);
        double value = Double.longBitsToDouble(bits & Long.MAX_VALUE);
        return Double.isFinite(value) ? value : magnitude;
    }
}
