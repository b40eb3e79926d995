package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.AtomicValues;

import java.util.Optional;

/**
 * A guest AMO, LR or SC on a device, decoded from the transformed instruction the hart wrote to {@code htinst}
 * (Priv. spec ch. 21: an atomic keeps every field but rs1, which holds the address offset, zero here since a
 * misaligned atomic raises address-misaligned before it is translated). The native board's bus performs atomics on
 * devices, and so does the VMM: an AMO as a read and a write under the harts' atomic lock, LR as a load that gives
 * the hart its reservation, SC through the hart's reservation.
 *
 * @param function the funct5 field ({@link #LOAD_RESERVED}, {@link #STORE_CONDITIONAL} or an AMO's)
 * @param size 4 or 8 bytes
 * @param rd the destination register
 * @param rs2 the source register (AMO and SC)
 */
public record MmioAtomic(int function, int size, int rd, int rs2) {
    /** funct5 of LR. */
    public static final int LOAD_RESERVED = AtomicValues.LOAD_RESERVED;
    /** funct5 of SC. */
    public static final int STORE_CONDITIONAL = AtomicValues.STORE_CONDITIONAL;
    /** An atomic's length: the A extension has no compressed forms. */
    public static final int LENGTH = 4;

    private static final int ATOMIC = 0x2f;

    /**
     * Decodes a transformed instruction.
     *
     * @param tinst the htinst value
     * @return the atomic, or empty when the value is not a whole RV64A encoding with a zero address offset
     */
    public static Optional<MmioAtomic> decode(long tinst) {
        if ((tinst >>> 32) != 0 || (tinst & 3) != 3 || ((tinst >>> 15) & 31) != 0) {
            return Optional.empty();
        }
        int bits = (int) tinst;
        int funct3 = (bits >>> 12) & 7;
        int function = bits >>> 27;
        if ((bits & 0x7f) != ATOMIC || (funct3 != 2 && funct3 != 3) || !known(function)
                || function == LOAD_RESERVED && ((bits >>> 20) & 31) != 0) {
            return Optional.empty();
        }
        return Optional.of(new MmioAtomic(function, funct3 == 2 ? 4 : 8, (bits >>> 7) & 31, (bits >>> 20) & 31));
    }

    /** Tells whether the atomic writes the device (all but LR). */
    public boolean writes() {
        return function != LOAD_RESERVED;
    }

    private static boolean known(int function) {
        return switch (function) {
            case LOAD_RESERVED, STORE_CONDITIONAL, 0b00001, 0b00000, 0b00100, 0b01100, 0b01000, 0b10000, 0b10100,
                 0b11000, 0b11100 -> true;
            default -> false;
        };
    }
}
