package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * One SBI extension of the built-in firmware.
 */
interface SbiExtension {

    /**
     * Returns the extension ids this handler answers (one for most; the legacy handler answers several).
     *
     * @return the ids
     */
    long[] ids();

    /**
     * Handles a call to one of {@link #ids()}.
     *
     * @param call the call
     * @param platform the machine
     * @return the result
     */
    SbiResult call(SbiCall call, SbiPlatform platform);
}
