package io.vmmlab.hwassist.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiExtensionNames;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.hwassist.exit.ExitCounters;

/**
 * Answers the guest kernel's SBI calls (ecall from VS-mode, cause 10) with the built-in SBI implementation on the
 * hwassist platform: a7 = extension, a6 = function, a0..a5 = arguments; a0 = error and a1 = value on return
 * (legacy extensions return only a0); pc moves past the ecall.
 */
public final class SbiCallHandler {

    private final SupervisorBinaryInterface sbi;
    private final HwAssistSbiPlatform platform;
    private final ExitCounters counters;

    /**
     * Creates the handler.
     *
     * @param sbi the SBI implementation
     * @param platform what the calls act on
     * @param counters where to count
     */
    public SbiCallHandler(SupervisorBinaryInterface sbi, HwAssistSbiPlatform platform, ExitCounters counters) {
        this.sbi = sbi;
        this.platform = platform;
        this.counters = counters;
    }

    /**
     * Handles one VS-mode ecall.
     *
     * @param hart the hart, stopped at the ecall
     */
    public void handle(Hart hart) {
        SbiCall call = SbiCall.of(hart);
        counters.sbi(SbiExtensionNames.of(call.extension()));
        sbi.call(call, platform).returnTo(hart, call);
    }
}
