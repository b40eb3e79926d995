package io.vmmlab.api.sbi;

import io.vmmlab.api.cpu.Hart;

/**
 * One SBI call as the guest made it (SBI spec v2.0, chapter 3 "Binary Encoding"): extension id in a7, function
 * id in a6, arguments in a0 to a5.
 *
 * @param hartId the calling hart
 * @param extension the extension id (a7)
 * @param function the function id (a6)
 * @param a0 argument 0
 * @param a1 argument 1
 * @param a2 argument 2
 * @param a3 argument 3
 * @param a4 argument 4
 * @param a5 argument 5
 */
public record SbiCall(int hartId, long extension, long function, long a0, long a1, long a2, long a3, long a4,
                      long a5) {
    private static final int A0 = 10;

    /**
     * Reads the call a hart stopped at (its {@code ecall}) from its registers a7, a6 and a0 to a5. Answer it with
     * {@link SbiResult#returnTo}.
     *
     * @param hart the calling hart
     * @return the call
     */
    public static SbiCall of(Hart hart) {
        return new SbiCall(hart.hartId(), hart.register(A0 + 7), hart.register(A0 + 6), hart.register(A0),
                hart.register(A0 + 1), hart.register(A0 + 2), hart.register(A0 + 3), hart.register(A0 + 4),
                hart.register(A0 + 5));
    }

    /**
     * Tells whether the call is to a legacy (v0.1) extension, which returns only a0.
     *
     * @return true for extension ids 0x00 to 0x0f
     */
    public boolean isLegacy() {
        return SupervisorBinaryInterface.isLegacy(extension);
    }
}
