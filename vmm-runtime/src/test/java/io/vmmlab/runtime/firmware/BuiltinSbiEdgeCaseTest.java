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

    private static final long HSM = 0x48_534dL;
    private static final long DBCN = 0x4442_434eL;

    private SbiResult call(long extension, long function, long a0, long a1, long a2) {
        return sbi.call(new SbiCall(0, extension, function, a0, a1, a2, 0, 0, 0), platform);
    }

    @Test
    void suspendTypesThatAreReservedOrUnimplementedPlatformOnesAreInvalidParameters() {
        SbiResult invalid = SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        // SBI 2.0, table "HSM Hart Suspend Types" and "HSM Hart Suspend Errors"
        assertThat(call(HSM, 3, 0x0000_0001L, 0, 0)).isEqualTo(invalid);
        assertThat(call(HSM, 3, 0x0fff_ffffL, 0, 0)).isEqualTo(invalid);
        assertThat(call(HSM, 3, 0x1000_0000L, 0, 0)).isEqualTo(invalid);
        assertThat(call(HSM, 3, 0x8000_0001L, 0, 0)).isEqualTo(invalid);
        assertThat(call(HSM, 3, 0x9000_0000L, 0, 0)).isEqualTo(invalid);
        assertThat(call(HSM, 3, 0xffff_ffffL, 0, 0)).isEqualTo(invalid);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void suspendTypeIsThirtyTwoBitsWide() {
        SbiResult notSupported = SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        // The default non-retentive suspend is not reserved, but needs a resume this firmware does not do.
        assertThat(call(HSM, 3, 0x8000_0000L, FakeSbiPlatform.RAM_BASE, 0)).isEqualTo(notSupported);
        // The psABI passes a 32-bit argument sign-extended, even an unsigned one.
        assertThat(call(HSM, 3, 0xffff_ffff_8000_0000L, FakeSbiPlatform.RAM_BASE, 0)).isEqualTo(notSupported);
        assertThat(call(HSM, 3, 0x1_0000_0000L, 0, 0)).isEqualTo(SbiResult.success(0));
    }

    @Test
    void aDebugConsoleWriteOfAHugeBufferIsPartial() {
        int ram = 4 * DebugConsoleExtension.MAX_WRITE_BYTES;
        FakeSbiPlatform large = new FakeSbiPlatform(1, ram);
        byte[] text = new byte[ram];
        java.util.Arrays.fill(text, (byte) 'x');
        large.memory().write(FakeSbiPlatform.RAM_BASE, text, 0, ram);

        SbiResult result = sbi.call(new SbiCall(0, DBCN, 0, ram, FakeSbiPlatform.RAM_BASE, 0, 0, 0, 0), large);

        // SBI 2.0, Console Write: "it may do partial/no writes"; the caller writes the rest with another call.
        assertThat(result).isEqualTo(SbiResult.success(DebugConsoleExtension.MAX_WRITE_BYTES));
        assertThat(large.fakeConsole().outputBytes()).hasSize(DebugConsoleExtension.MAX_WRITE_BYTES);
    }

    @Test
    void aHartCannotBeStartedAtAnOddAddress() {
        // pc bit 0 is always 0 (IALIGN is at least 16): an odd start_addr names no instruction
        SbiResult result = call(HSM, 0, 1, FakeSbiPlatform.RAM_BASE + 0x101, 0);

        assertThat(result).isEqualTo(SbiResult.error(SbiResult.ERR_INVALID_ADDRESS));
        assertThat(platform.calls()).isEmpty();
        assertThat(call(HSM, 0, 1, FakeSbiPlatform.RAM_BASE + 0x102, 7)).isEqualTo(SbiResult.success(0));
    }
}
