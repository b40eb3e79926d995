package io.vmmlab.runtime.firmware;

import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The legacy extensions (SBI spec v2.0, chapter 5): ids 0x00 to 0x08, each one call, result in a0 only. Hart
 * masks are passed by address of a word in guest memory; a mask outside guest memory is an invalid address.
 */
final class LegacyExtensions implements SbiExtension {

    @Override
    public long[] ids() {
        return new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        return switch ((int) call.extension()) {
            case 0 -> {
                platform.setTimer(call.hartId(), call.a0());
                yield SbiResult.success(0);
            }
            case 1 -> {
                platform.console().write((int) call.a0() & 0xff);
                yield SbiResult.success(0);
            }
            case 2 -> new SbiResult(platform.console().read(), 0);
            case 3 -> {
                platform.clearSoftwareInterrupt(call.hartId());
                yield SbiResult.success(0);
            }
            case 4 -> forMask(call.a0(), platform, HartMask.Action.SOFTWARE_INTERRUPT);
            case 5, 6, 7 -> forMask(call.a0(), platform, HartMask.Action.REMOTE_FENCE);
            case 8 -> {
                platform.legacyShutdown();
                yield SbiResult.success(0);
            }
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }

    private static SbiResult forMask(long maskAddress, SbiPlatform platform, HartMask.Action action) {
        long mask;
        if (maskAddress == 0) {
            mask = -1;
        } else {
            try {
                mask = platform.memory().read64(maskAddress);
            } catch (MemoryAccessException e) {
                return SbiResult.error(SbiResult.ERR_INVALID_ADDRESS);
            }
        }
        boolean valid = maskAddress == 0 ? HartMask.forEach(0, -1, platform, action)
                : HartMask.forEach(mask, 0, platform, action);
        return valid ? SbiResult.success(0) : SbiResult.error(SbiResult.ERR_INVALID_PARAM);
    }
}
