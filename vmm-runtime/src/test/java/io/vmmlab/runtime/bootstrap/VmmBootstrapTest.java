package io.vmmlab.runtime.bootstrap;

import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.spi.BoardRequirement;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

final class VmmBootstrapTest {

    @Test
    void addsTheHExtensionForHardwareAssistedStrategies() {
        IsaSpec fitted = VmmBootstrap.fitIsa(IsaSpec.parse("rv64imac_sstc"),
                Set.of(BoardRequirement.HYPERVISOR_EXTENSION));

        assertThat(fitted.singleLetter()).isEqualTo("imach");
        assertThat(fitted.has('h')).isTrue();
        assertThat(fitted.misaExtensions() & (1L << 7)).isNotZero();
        assertThat(fitted).isEqualTo(IsaSpec.parse("rv64imac_sstc_h"));
    }

    @Test
    void theGuestOfAHardwareAssistedStrategyIsNotToldAboutTheHExtension() {
        IsaSpec harts = VmmBootstrap.fitIsa(IsaSpec.parse("rv64imac_sstc"), Set.of(BoardRequirement.HYPERVISOR_EXTENSION));

        assertThat(VmmBootstrap.guestIsa(harts, Set.of(BoardRequirement.HYPERVISOR_EXTENSION)))
                .isEqualTo(IsaSpec.parse("rv64imac_sstc"));
        assertThat(VmmBootstrap.guestIsa(IsaSpec.parse("rv64imac_h"), Set.of())).isEqualTo(IsaSpec.parse("rv64imac_h"));
    }

    @Test
    void keepsAnExistingHExtensionOnce() {
        IsaSpec fitted = VmmBootstrap.fitIsa(IsaSpec.parse("rv64imac_h"),
                Set.of(BoardRequirement.HYPERVISOR_EXTENSION));

        assertThat(fitted.singleLetter()).isEqualTo("imach");
    }

    @Test
    void removesTheHExtensionForSoftwareOnlyStrategies() {
        IsaSpec fitted = VmmBootstrap.fitIsa(IsaSpec.parse("rv64gch_sstc"),
                EnumSet.of(BoardRequirement.NO_HYPERVISOR_EXTENSION, BoardRequirement.PARAVIRTUALIZED_GUEST));

        assertThat(fitted.singleLetter()).isEqualTo("imafdc");
        assertThat(fitted.has('h')).isFalse();
        assertThat(fitted.multiLetter()).containsExactlyInAnyOrder("sstc", "zicntr", "zicsr", "zifencei");
    }

    @Test
    void keepsTheIsaWhenTheStrategyDoesNotCare() {
        IsaSpec withH = IsaSpec.parse("rv64imac_h_sstc");
        IsaSpec withoutH = IsaSpec.parse("rv64imac");

        assertThat(VmmBootstrap.fitIsa(withH, Set.of())).isEqualTo(withH);
        assertThat(VmmBootstrap.fitIsa(withoutH, Set.of(BoardRequirement.PARAVIRTUALIZED_GUEST)))
                .isEqualTo(withoutH);
        assertThat(VmmBootstrap.fitIsa(withoutH, Set.of(BoardRequirement.NO_HYPERVISOR_EXTENSION)))
                .isEqualTo(withoutH);
    }
}
