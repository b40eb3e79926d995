package io.vmmlab.api.sbi;

/**
 * An SBI implementation in Java (SBI spec v2.0): what a guest kernel's {@code ecall} reaches when the firmware
 * level is owned by the VMM. The runtime binds one for every strategy to inject; a strategy passes the
 * {@link SbiPlatform} that fits how it virtualizes the machine.
 */
public interface SupervisorBinaryInterface {

    /**
     * Handles one call.
     *
     * @param call the call, read from the guest's registers
     * @param platform the machine as this strategy presents it
     * @return the result to write into a0 (and a1 for non-legacy extensions)
     */
    SbiResult call(SbiCall call, SbiPlatform platform);

    /**
     * Tells whether an extension id is a legacy (v0.1) extension, whose calls return only a0.
     *
     * @param extension the extension id
     * @return true for extension ids 0x00 to 0x0f
     */
    static boolean isLegacy(long extension) {
        return extension >= 0 && extension <= 0x0f;
    }
}
