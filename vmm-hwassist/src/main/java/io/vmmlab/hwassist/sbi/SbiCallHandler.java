package io.vmmlab.hwassist.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.hwassist.exit.ExitCounters;

/**
 * Answers the guest kernel's SBI calls (ecall from VS-mode, cause 10) with the built-in SBI implementation on the
 * hwassist platform: a7 = extension, a6 = function, a0..a5 = arguments; a0 = error and a1 = value on return
 * (legacy extensions return only a0); pc moves past the ecall.
 */
public final class SbiCallHandler {
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A6 = 16;
    private static final int A7 = 17;

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
        long extension = hart.register(A7);
        counters.sbi(SbiNames.extension(extension));
        SbiCall call = new SbiCall(hart.hartId(), extension, hart.register(A6), hart.register(A0), hart.register(A1),
                hart.register(12), hart.register(13), hart.register(14), hart.register(15));
        SbiResult result = sbi.call(call, platform);
        hart.setRegister(A0, result.error());
        if (!SupervisorBinaryInterface.isLegacy(extension)) {
            hart.setRegister(A1, result.value());
        }
        hart.setPc(hart.pc() + 4);
    }
}
