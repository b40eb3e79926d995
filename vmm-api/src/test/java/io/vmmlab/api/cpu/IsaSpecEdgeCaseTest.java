package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class IsaSpecEdgeCaseTest {

    @Test
    void canonicalListsZThenSThenXExtensionsEachAlphabetically() {
        assertThat(IsaSpec.parse("rv64imac").canonical()).isEqualTo("rv64imac_zicntr_zicsr_zifencei");
        assertThat(IsaSpec.parse("rv64imac_zifencei_svinval_sstc_xvendor").canonical())
                .isEqualTo("rv64imac_zicntr_zicsr_zifencei_sstc_svinval_xvendor");
        assertThat(IsaSpec.parse("rv64imac_sstc").multiLetter())
                .containsExactly("sstc", "zicntr", "zicsr", "zifencei");
    }

    @Test
    void refusesATrailingUnderscore() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64imac_"))
                .withMessage("empty extension in ISA string: 'rv64imac_'");
    }
}
