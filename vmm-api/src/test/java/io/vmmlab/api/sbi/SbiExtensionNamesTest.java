package io.vmmlab.api.sbi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SbiExtensionNamesTest {
    @Test
    void namesTheStandardExtensionsByTheirSpecIds() {
        assertThat(SbiExtensionNames.of(0x10)).isEqualTo("base");
        assertThat(SbiExtensionNames.of(0x54494D45L)).isEqualTo("time");
        assertThat(SbiExtensionNames.of(0x735049L)).isEqualTo("ipi");
        assertThat(SbiExtensionNames.of(0x52464E43L)).isEqualTo("rfence");
        assertThat(SbiExtensionNames.of(0x48534DL)).isEqualTo("hsm");
        assertThat(SbiExtensionNames.of(0x53525354L)).isEqualTo("srst");
        assertThat(SbiExtensionNames.of(0x4442434EL)).isEqualTo("dbcn");
    }

    @Test
    void legacyCallsAndUnknownIdsGetDistinctNames() {
        assertThat(SbiExtensionNames.of(0)).isEqualTo("legacy-0");
        assertThat(SbiExtensionNames.of(8)).isEqualTo("legacy-8");
        assertThat(SbiExtensionNames.of(9)).isEqualTo("unknown-0x9");
        assertThat(SbiExtensionNames.of(0x1_5449_4d45L)).isEqualTo("unknown-0x154494d45");
    }
}
