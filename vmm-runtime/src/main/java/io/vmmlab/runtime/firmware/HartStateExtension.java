package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.HartStatus;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The Hart State Management extension (SBI spec v2.0, chapter 9): start, stop and query harts. Suspend is
 * answered as a retentive suspend that returns at once, which the spec allows ("may return early").
 */
final class HartStateExtension implements SbiExtension {
    static final long ID = 0x48_534dL;
    private static final long DEFAULT_RETENTIVE_SUSPEND = 0;
    private static final long DEFAULT_NON_RETENTIVE_SUSPEND = 0x8000_0000L;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() < 0 || call.function() > Integer.MAX_VALUE) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        return switch ((int) call.function()) {
            case 0 -> start(call, platform);
            case 1 -> {
                platform.stopHart(call.hartId());
                yield SbiResult.success(0);
            }
            case 2 -> validHart(call.a0(), platform)
                    ? SbiResult.success(platform.hartStatus((int) call.a0()).code())
                    : SbiResult.error(SbiResult.ERR_INVALID_PARAM);
            case 3 -> suspend(call);
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }

    private static SbiResult start(SbiCall call, SbiPlatform platform) {
        if (!validHart(call.a0(), platform)) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        int hart = (int) call.a0();
        if (platform.hartStatus(hart) != HartStatus.STOPPED) {
            return SbiResult.error(SbiResult.ERR_ALREADY_AVAILABLE);
        }
        // An address outside RAM, or an odd one (pc bit 0 is always 0: no instruction starts there), is invalid.
        if (!platform.memory().range().contains(call.a1(), 2) || (call.a1() & 1) != 0) {
            return SbiResult.error(SbiResult.ERR_INVALID_ADDRESS);
        }
        platform.startHart(hart, call.a1(), call.a2());
        return SbiResult.success(0);
    }

    /**
     * SBI 2.0, "Hart suspend": the default retentive suspend returns at once; the default non-retentive one is
     * defined but not done here (not supported); every other type is reserved or platform-specific and not
     * implemented (invalid parameter). The type is 32 bits wide, so bits 63:32 of a0 are ignored.
     */
    private static SbiResult suspend(SbiCall call) {
        long type = call.a0() & 0xffff_ffffL;
        if (type == DEFAULT_RETENTIVE_SUSPEND) {
            return SbiResult.success(0);
        }
        return SbiResult.error(type == DEFAULT_NON_RETENTIVE_SUSPEND
                ? SbiResult.ERR_NOT_SUPPORTED : SbiResult.ERR_INVALID_PARAM);
    }

    private static boolean validHart(long hart, SbiPlatform platform) {
        return hart >= 0 && hart < platform.hartCount();
    }
}
