package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The Timer extension (SBI spec v2.0, chapter 6): {@code sbi_set_timer}.
 */
final class TimerExtension implements SbiExtension {
    static final long ID = 0x5449_4d45L;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        platform.setTimer(call.hartId(), call.a0());
        return SbiResult.success(0);
    }
}
