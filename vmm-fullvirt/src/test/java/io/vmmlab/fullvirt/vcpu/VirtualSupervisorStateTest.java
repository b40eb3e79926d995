package io.vmmlab.fullvirt.vcpu;

import io.vmmlab.api.cpu.AddressTranslation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest's emulated satp offers what the harts' satp does (WARL: a mode it lacks leaves satp as it was). */
class VirtualSupervisorStateTest {
    @ParameterizedTest
    @EnumSource(AddressTranslation.class)
    void satpAcceptsBareAndEachModeUpToTheHartsLargest(AddressTranslation largest) {
        VirtualSupervisorState state = new VirtualSupervisorState(largest);
        for (long mode = 1; mode < 16; mode++) {
            state.setSatp(8L << 60 | 0x80);
            boolean offered = mode >= 8 && mode <= largest.satpMode();
            assertThat(state.setSatp(mode << 60 | 0x1234)).as("mode %d", mode).isEqualTo(offered);
            assertThat(state.satp()).as("mode %d", mode).isEqualTo(offered ? mode << 60 | 0x1234 : 8L << 60 | 0x80);
        }
        assertThat(state.setSatp(0x1234)).as("Bare").isTrue();
        assertThat(state.satp()).as("Bare keeps no root").isZero();
    }
}
