package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class LoadValuesTest {
    @Test
    void integerLoadsExtendAsTheInstructionSays() {
        assertThat(LoadValues.integer(0x80, 1, true)).isEqualTo(-128);
        assertThat(LoadValues.integer(0x80, 1, false)).isEqualTo(0x80);
        assertThat(LoadValues.integer(0x8000, 2, true)).isEqualTo(-32768);
        assertThat(LoadValues.integer(0x8000_0001L, 4, true)).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(LoadValues.integer(0x8000_0001L, 4, false)).isEqualTo(0x8000_0001L);
        assertThat(LoadValues.integer(0x8000_0000_0000_0001L, 8, true)).isEqualTo(0x8000_0000_0000_0001L);
    }

    @Test
    void bitsAboveTheAccessAreIgnored() {
        assertThat(LoadValues.integer(0x8877_6655_4433_2281L, 1, false)).isEqualTo(0x81);
        assertThat(LoadValues.integer(0x8877_6655_4433_2281L, 2, false)).isEqualTo(0x2281);
        assertThat(LoadValues.integer(0x8877_6655_4433_2281L, 4, false)).isEqualTo(0x4433_2281L);
        assertThat(LoadValues.integer(0x8877_6655_4433_a281L, 2, true)).isEqualTo(0xffff_ffff_ffff_a281L);
    }

    @Test
    void singlePrecisionLoadsAreNanBoxed() {
        assertThat(LoadValues.floating(0x1122_3344_4049_0fdbL, 4)).isEqualTo(0xffff_ffff_4049_0fdbL);
        assertThat(LoadValues.floating(0x1122_3344_4049_0fdbL, 8)).isEqualTo(0x1122_3344_4049_0fdbL);
    }
}
