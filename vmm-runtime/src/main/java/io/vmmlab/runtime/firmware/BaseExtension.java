package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

import java.util.function.LongPredicate;

/**
 * The Base extension (SBI spec v2.0, chapter 4): versions, implementation id, extension probing, machine ids.
 */
final class BaseExtension implements SbiExtension {
    static final long ID = 0x10;
    /** SBI specification 2.0: major in bits 30:24, minor in bits 23:0. */
    static final long SPEC_VERSION = 2L << 24;
    /** Not a registered implementation id: "VMML" in ASCII, far from the registered small numbers. */
    static final long IMPLEMENTATION_ID = 0x564d_4d4cL;
    static final long IMPLEMENTATION_VERSION = 1;

    private final LongPredicate supported;

    BaseExtension(LongPredicate supported) {
        this.supported = supported;
    }

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
            case 0 -> SbiResult.success(SPEC_VERSION);
            case 1 -> SbiResult.success(IMPLEMENTATION_ID);
            case 2 -> SbiResult.success(IMPLEMENTATION_VERSION);
            case 3 -> SbiResult.success(supported.test(call.a0()) ? 1 : 0);
            case 4, 5, 6 -> SbiResult.success(0);
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }
}
