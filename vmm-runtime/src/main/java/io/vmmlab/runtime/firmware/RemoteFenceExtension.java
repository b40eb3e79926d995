package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The RFENCE extension (SBI spec v2.0, chapter 8). Every remote fence flushes the whole of the target harts'
 * cached translations and decoded code, which is always a correct (if coarse) way to honour a ranged fence.
 * The hypervisor fences (functions 3 to 6) are answered only when the platform could run guests, which the
 * built-in firmware's platforms do not, so they report "not supported".
 */
final class RemoteFenceExtension implements SbiExtension {
    static final long ID = 0x5246_4e43L;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() < 0 || call.function() > 2) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        boolean valid = HartMask.forEach(call.a0(), call.a1(), platform, HartMask.Action.REMOTE_FENCE);
        return valid ? SbiResult.success(0) : SbiResult.error(SbiResult.ERR_INVALID_PARAM);
    }
}
