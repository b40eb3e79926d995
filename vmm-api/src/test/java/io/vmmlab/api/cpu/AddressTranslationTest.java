package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class AddressTranslationTest {
    @Test
    void parsesNamesInAnyCase() {
        assertThat(AddressTranslation.parse("sv39")).isEqualTo(AddressTranslation.SV39);
        assertThat(AddressTranslation.parse(" SV48 ")).isEqualTo(AddressTranslation.SV48);
        assertThat(AddressTranslation.parse("Sv57")).isEqualTo(AddressTranslation.SV57);
        assertThatThrownBy(() -> AddressTranslation.parse("sv32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown page-table mode 'sv32' (--mmu takes sv39, sv48 or sv57)");
    }

    @Test
    void eachModeAcceptsBareAndTheSmallerModes() {
        assertThat(AddressTranslation.SV39.accepts(0)).isTrue();
        assertThat(AddressTranslation.SV39.accepts(8)).isTrue();
        assertThat(AddressTranslation.SV39.accepts(9)).isFalse();
        assertThat(AddressTranslation.SV48.accepts(9)).isTrue();
        assertThat(AddressTranslation.SV48.accepts(10)).isFalse();
        assertThat(AddressTranslation.SV57.accepts(10)).isTrue();
        assertThat(AddressTranslation.SV57.accepts(11)).as("Sv64, reserved").isFalse();
        assertThat(AddressTranslation.SV57.accepts(1)).as("Sv32 is RV32's").isFalse();
    }

    @Test
    void readsTheLevelsOfARegisterAndSignExtendsAddresses() {
        assertThat(AddressTranslation.levels(0)).as("Bare").isZero();
        assertThat(AddressTranslation.levels(8L << 60 | 0x80000)).isEqualTo(3);
        assertThat(AddressTranslation.levels(9L << 60)).isEqualTo(4);
        assertThat(AddressTranslation.levels(10L << 60)).isEqualTo(5);
        assertThat(AddressTranslation.levels(11L << 60)).as("reserved").isZero();
        assertThat(AddressTranslation.canonical(0x7f_c000_0000L, 3)).isEqualTo(0xffff_ffff_c000_0000L);
        assertThat(AddressTranslation.canonical(0x7f_c000_0000L, 4)).isEqualTo(0x7f_c000_0000L);
        assertThat(AddressTranslation.canonical(1L << 56, 5)).isEqualTo(-1L << 56);
    }

    @Test
    void describesItselfForTheDeviceTree() {
        assertThat(AddressTranslation.SV57.mmuType()).isEqualTo("riscv,sv57");
        assertThat(AddressTranslation.SV48.levels()).isEqualTo(4);
        assertThat(AddressTranslation.SV39.satpMode()).isEqualTo(8);
        assertThat(AddressTranslation.SV57.atMost(AddressTranslation.SV39)).isEqualTo(AddressTranslation.SV39);
        assertThat(AddressTranslation.SV39.atMost(AddressTranslation.SV48)).isEqualTo(AddressTranslation.SV39);
    }
}
