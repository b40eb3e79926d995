package io.vmmlab.hwassist.exit;

import java.util.Optional;

/**
 * A guest load or store to a device, decoded from the transformed instruction the hart wrote to {@code htinst}
 * (Priv. spec ch. 21, "Transformed Instruction or Pseudoinstruction for mtinst or htinst"): bits 1:0 say whether
 * the original was compressed (01) or not (11); a basic load keeps funct3, rd and opcode, a basic store keeps
 * rs2, funct3 and opcode; so do FLW/FLD and FSW/FSD (LOAD-FP, STORE-FP, their compressed forms included). The whole
 * value must be such an encoding with bits 63:32 zero, and its address offset (bits 19:15) must be zero: a nonzero
 * one means the fault hit the second part of a misaligned access split across two pages (the first part in guest
 * RAM, the faulting address in the middle of the access), which a device cannot be given as one access.
 *
 * @param store true for a store
 * @param size 1, 2, 4 or 8 bytes
 * @param signed whether a load sign-extends
 * @param register rd for a load, rs2 for a store
 * @param length the original instruction's length in bytes (2 or 4), to advance pc
 * @param floating true when the register is an f register (FLW NaN-boxes its word)
 */
public record MmioAccess(boolean store, int size, boolean signed, int register, int length, boolean floating) {
    private static final int LOAD = 0x03;
    private static final int STORE = 0x23;
    private static final int LOAD_FP = 0x07;
    private static final int STORE_FP = 0x27;
    /** Bits 19:15 of a transformed load or store: the faulting address minus the instruction's. */
    private static final long ADDRESS_OFFSET = 0x1fL << 15;

    /**
     * Decodes a transformed instruction.
     *
     * @param tinst the htinst value
     * @return the access, or empty when the value is zero, a pseudoinstruction, not a basic load/store, or the part
     *         of a split misaligned one
     */
    public static Optional<MmioAccess> decode(long tinst) {
        if ((tinst >>> 32) != 0 || (tinst & 1) == 0 || (tinst & ADDRESS_OFFSET) != 0) {
            return Optional.empty();
        }
        int bits = (int) tinst | 2;
        int opcode = bits & 0x7f;
        int funct3 = (bits >>> 12) & 7;
        int length = (tinst & 2) != 0 ? 4 : 2;
        if (opcode == LOAD && funct3 != 7) {
            return Optional.of(new MmioAccess(false, 1 << (funct3 & 3), funct3 < 4, (bits >>> 7) & 31, length, false));
        }
        if (opcode == STORE && funct3 < 4) {
            return Optional.of(new MmioAccess(true, 1 << funct3, false, (bits >>> 20) & 31, length, false));
        }
        if ((opcode == LOAD_FP || opcode == STORE_FP) && (funct3 == 2 || funct3 == 3)) {
            boolean store = opcode == STORE_FP;
            int register = store ? (bits >>> 20) & 31 : (bits >>> 7) & 31;
            return Optional.of(new MmioAccess(store, 1 << funct3, false, register, length, true));
        }
        return Optional.empty();
    }
}
