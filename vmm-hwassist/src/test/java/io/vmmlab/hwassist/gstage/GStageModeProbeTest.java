package io.vmmlab.hwassist.gstage;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.cpu.csr.CsrAddress.HGATP;
import static org.assertj.core.api.Assertions.assertThat;

/** As KVM does: the largest G-stage mode the hart's hgatp keeps, and hgatp Bare afterwards. */
class GStageModeProbeTest {
    @ParameterizedTest
    @EnumSource(AddressTranslation.class)
    void findsTheLargestModeTheHartOffers(AddressTranslation offered) {
        TestBoard board = new TestBoard("rv64imach", 1 << 20, offered);

        assertThat(GStageModeProbe.largest(board.hart())).isEqualTo(offered);
        assertThat(board.hart().readCsr(HGATP)).isZero();
    }
}
