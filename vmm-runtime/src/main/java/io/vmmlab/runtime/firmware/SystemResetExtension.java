package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The System Reset extension (SBI spec v2.0, chapter 10): shutdown and reboot, with a reason.
 */
final class SystemResetExtension implements SbiExtension {
    static final long ID = 0x5352_5354L;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() != 0) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        long type = call.a0() & 0xffff_ffffL;
        long reason = call.a1() & 0xffff_ffffL;
        if (type > 2 || reason > 1) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        platform.systemReset(type, reason);
        return SbiResult.success(0);
    }
}
