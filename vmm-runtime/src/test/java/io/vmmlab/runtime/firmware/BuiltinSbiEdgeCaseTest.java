package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class BuiltinSbiEdgeCaseTest {
    private final BuiltinSbi sbi = new BuiltinSbi();
    private final FakeSbiPlatform platform = new FakeSbiPlatform(4);

    @Test
    void aHartMaskBaseThatOverflowsIsRefused() {
        // base + 1 wraps to Long.MIN_VALUE, whose low 32 bits are hart 0
        SbiResult result = sbi.call(new SbiCall(0, 0x73_5049L, 0, 0b10, Long.MAX_VALUE, 0, 0, 0, 0), platform);

        assertThat(result).isEqualTo(SbiResult.error(SbiResult.ERR_INVALID_PARAM));
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void functionIdsAreNotTruncatedTo32Bits() {
        // a6 = 0x1_0000_0000 is not function 0 (get_spec_version)
        SbiResult result = sbi.call(new SbiCall(0, 0x10, 0x1_0000_0000L, 0, 0, 0, 0, 0, 0), platform);

        assertThat(result).isEqualTo(SbiResult.error(SbiResult.ERR_NOT_SUPPORTED));
    }
}
