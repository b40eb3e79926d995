package io.vmmlab.cpu.exec;

import static io.vmmlab.cpu.decode.BitManipEncoding.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmmlab.cpu.decode.BitManipEncoding;
import io.vmmlab.cpu.decode.CryptoEncoding;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.testing.ReferenceBitManip;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every Zba, Zbb, Zbc, Zbs, Zicond, Zbkb and Zbkx operation against the bit-by-bit reference ({@link ReferenceBitManip}) on edge values and
 * random ones, through the interpreter's entry ({@link BitManipulation#compute}) and through the method the translator
 * calls by name.
 */
final class BitManipulationTest {
    /** One GNU as encoding per selector (a0, a1, a2), with an immediate form's shift amount in its bits. */
    private static final int[] ENCODINGS = {
        0x08c5853b, 0x20c5a533, 0x20c5c533, 0x20c5e533, 0x20c5a53b, 0x20c5c53b, 0x20c5e53b, 0x0a55951b,
        0x40c5f533, 0x40c5e533, 0x40c5c533, 0x60059513, 0x6005951b, 0x60159513, 0x6015951b, 0x60259513,
        0x6025951b, 0x0ac5e533, 0x0ac5f533, 0x0ac5c533, 0x0ac5d533, 0x60459513, 0x60559513, 0x0805c53b,
        0x60c59533, 0x60c5953b, 0x60c5d533, 0x62d5d513, 0x60d5d51b, 0x60c5d53b, 0x2875d513, 0x6b85d513,
        0x48c59533, 0x4bf59513, 0x48c5d533, 0x4a15d513, 0x68c59533, 0x68759513, 0x28c59533, 0x2b259513,
        0x0ac59533, 0x0ac5b533, 0x0ac5a533, 0x0ec5d533, 0x0ec5f533, 0x08c5c533, 0x08c5f533, 0x08c5c53b,
        0x6875d513, 0x28c5a533, 0x28c5c533,
    };
    private static final long[] EDGES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL,
        0x7fff_ffffL, 0x80L, 0xff00L, 0x0100_0000_0000_0080L, 31, 32, 33, 63, 64, 65, -64};

    private final InstructionDecoder decoder = new InstructionDecoder(true, true, true, false, false, false,
            new BitManipEncoding(Set.of("zba", "zbb", "zbc", "zbs", "zicond", "zbkb", "zbkx")),
            CryptoEncoding.NONE_PRESENT);

    @Test
    void everyOperationMatchesTheReference() throws ReflectiveOperationException {
        Random random = new Random(7);
        for (int selector = 0; selector < BitManipEncoding.COUNT; selector++) {
            int insn = ENCODINGS[selector];
            int immediate = (int) (decoder.decode(insn) >>> 32);
            assertThat(immediate >>> 6).isEqualTo(selector);
            Method method = BitManipulation.class.getMethod(BitManipulation.methodName(selector), long.class,
                    long.class);
            assertThat(Modifier.isStatic(method.getModifiers())).isTrue();
            for (int trial = 0; trial < 2000; trial++) {
                long a = trial < EDGES.length * EDGES.length ? EDGES[trial % EDGES.length] : value(random);
                long b = trial < EDGES.length * EDGES.length ? EDGES[trial / EDGES.length] : value(random);
                long expected = ReferenceBitManip.execute(insn, a, b).orElseThrow();
                String context = String.format("%s(%#x, %#x)", BitManipulation.methodName(selector), a, b);
                assertThat(BitManipulation.compute(immediate, a, b)).as(context).isEqualTo(expected);
                long second = BitManipEncoding.immediateForm(selector) ? immediate & 0x3f : b;
                assertThat((long) method.invoke(null, a, second)).as(context + " by name").isEqualTo(expected);
            }
        }
    }

    @Test
    void knownValues() {
        assertThat(BitManipulation.clz(0, 0)).isEqualTo(64);
        assertThat(BitManipulation.clzw(0xffff_ffff_0000_0000L, 0)).isEqualTo(32);
        assertThat(BitManipulation.ctzw(0x1_0000_0000L, 0)).isEqualTo(32);
        assertThat(BitManipulation.cpopw(-1, 0)).isEqualTo(32);
        assertThat(BitManipulation.orcB(0x0001_0200_0000_8000L, 0)).isEqualTo(0x00ff_ff00_0000_ff00L);
        assertThat(BitManipulation.rev8(0x0102_0304_0506_0708L, 0)).isEqualTo(0x0807_0605_0403_0201L);
        assertThat(BitManipulation.rolw(0x8000_0001L, 1)).isEqualTo(3);
        assertThat(BitManipulation.rorw(1, 1)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(BitManipulation.addUw(-1, 1)).isEqualTo(0x1_0000_0000L);
        assertThat(BitManipulation.sh3addUw(0xffff_ffff_0000_0001L, 0x10)).isEqualTo(0x18);
        assertThat(BitManipulation.slliUw(-1, 63)).isEqualTo(Long.MIN_VALUE);
        assertThat(BitManipulation.maxu(-1, 1)).isEqualTo(-1);
        assertThat(BitManipulation.min(-1, 1)).isEqualTo(-1);
        assertThat(BitManipulation.bext(Long.MIN_VALUE, 127)).isEqualTo(1); // the index is taken mod 64
        assertThat(BitManipulation.clmul(3, 3)).isEqualTo(5); // (x + 1)^2 = x^2 + 1
        assertThat(BitManipulation.clmulh(Long.MIN_VALUE, 2)).isEqualTo(1);
        assertThat(BitManipulation.clmulr(Long.MIN_VALUE, 2)).isEqualTo(2);
        assertThat(BitManipulation.czeroEqz(5, 0)).isZero();
        assertThat(BitManipulation.czeroEqz(5, Long.MIN_VALUE)).isEqualTo(5);
        assertThat(BitManipulation.czeroNez(5, 0)).isEqualTo(5);
        assertThat(BitManipulation.czeroNez(5, 1L << 40)).isZero();
        assertThat(BitManipulation.pack(0xffff_ffff_8765_4321L, 0x1234_5678L)).isEqualTo(0x1234_5678_8765_4321L);
        assertThat(BitManipulation.packh(0x1234, 0x5678)).isEqualTo(0x7834);
        assertThat(BitManipulation.packw(0x1234, 0xffff_8765L)).isEqualTo(0xffff_ffff_8765_1234L);
        assertThat(BitManipulation.brev8(0x0102_0408_1020_4080L, 0)).isEqualTo(0x8040_2010_0804_0201L);
        assertThat(BitManipulation.brev8(0xf0L, 0)).isEqualTo(0x0f);
        // xperm8: indexes 7, 0, 8 (out of range), 0xff (out of range), 1 ...
        assertThat(BitManipulation.xperm8(0x8877_6655_4433_2211L, 0x0000_0001_ff08_0007L))
                .isEqualTo(0x1111_1122_0000_1188L);
        assertThat(BitManipulation.xperm4(0xfedc_ba98_7654_3210L, 0x0123_4567_89ab_cdefL))
                .isEqualTo(0x0123_4567_89ab_cdefL); // the identity table
        assertThat(BitManipulation.xperm4(0x0123_4567_89ab_cdefL, 0x0000_0000_0000_000fL))
                .isEqualTo(0xffff_ffff_ffff_fff0L);
    }

    private static long value(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(128) - 64;
            case 1 -> random.nextInt();
            case 2 -> 1L << random.nextInt(64);
            default -> random.nextLong();
        };
    }
}
