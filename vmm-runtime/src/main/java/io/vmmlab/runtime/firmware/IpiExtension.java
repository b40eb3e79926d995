package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The IPI extension (SBI spec v2.0, chapter 7): {@code sbi_send_ipi}.
 */
final class IpiExtension implements SbiExtension {
    static final long ID = 0x73_5049L;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        boolean valid = HartMask.forEach(call.a0(), call.a1(), platform, HartMask.Action.SOFTWARE_INTERRUPT);
        return valid ? SbiResult.success(0) : SbiResult.error(SbiResult.ERR_INVALID_PARAM);
    }
}
