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
    void singlePrecisionLoadsAreNanBoxed() {
        assertThat(LoadValues.floating(0x1122_3344_4049_0fdbL, 4)).isEqualTo(0xffff_ffff_4049_0fdbL);
        assertThat(LoadValues.floating(0x1122_3344_4049_0fdbL, 8)).isEqualTo(0x1122_3344_4049_0fdbL);
    }
}
