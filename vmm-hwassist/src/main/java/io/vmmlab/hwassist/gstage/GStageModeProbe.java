package io.vmmlab.hwassist.gstage;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.Hart;

import static io.vmmlab.cpu.csr.CsrAddress.HGATP;

/**
 * Finds the largest G-stage mode a hart offers the way KVM does on RISC-V: hgatp is WARL, so a write of a mode the
 * hart lacks leaves it unchanged; try Sv57x4, then Sv48x4, and fall back to Sv39x4, which every hart with the H
 * extension has. A deeper G-stage costs more levels per walk; KVM takes it anyway, and so does hwassist.
 */
public final class GStageModeProbe {
    private GStageModeProbe() {
    }

    /**
     * Probes a hart; hgatp is Bare afterwards.
     *
     * @param hart a hart with the H extension, not running
     * @return the mode whose x4 variant the hart's hgatp takes, the largest
     */
    public static AddressTranslation largest(Hart hart) {
        try {
            for (AddressTranslation mode : new AddressTranslation[] {AddressTranslation.SV57, AddressTranslation.SV48}) {
                hart.writeCsr(HGATP, (long) mode.satpMode() << 60);
                if (hart.readCsr(HGATP) >>> 60 == mode.satpMode()) {
                    return mode;
                }
            }
            return AddressTranslation.SV39;
        } finally {
            hart.writeCsr(HGATP, 0);
        }
    }
}
