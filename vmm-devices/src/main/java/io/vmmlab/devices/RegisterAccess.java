package io.vmmlab.devices;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;

/**
 * Helpers for devices whose registers accept only some access widths, and for 64-bit registers that 32-bit
 * software reads and writes in two halves.
 */
public final class RegisterAccess {

    private RegisterAccess() {
    }

    /**
     * Fails unless the access is {@code size} bytes wide and naturally aligned.
     *
     * @param range the device window, for the error's address
     * @param offset the offset inside the window
     * @param size the access width
     * @param allowedSizes the widths the register accepts
     * @throws MemoryAccessException when the width is not allowed or the access is misaligned
     */
    public static void requireWidth(AddressRange range, long offset, int size, int... allowedSizes) {
        for (int allowed : allowedSizes) {
            if (size == allowed && (offset & (size - 1)) == 0) {
                return;
            }
        }
        throw new MemoryAccessException(range.base() + offset,
                String.format("unsupported %d-byte access at offset 0x%x", size, offset));
    }

    /**
     * Reads part of a 64-bit register: all of it for an 8-byte access, one half for a 4-byte access.
     *
     * @param register the register value
     * @param offsetInRegister 0 or 4
     * @param size 4 or 8
     * @return the value, zero-extended
     */
    public static long readPart(long register, long offsetInRegister, int size) {
        if (size == 8) {
            return register;
        }
        return offsetInRegister == 0 ? register & 0xffff_ffffL : register >>> 32;
    }

    /**
     * Merges a write of part of a 64-bit register into its old value.
     *
     * @param register the old value
     * @param offsetInRegister 0 or 4
     * @param size 4 or 8
     * @param value the written value
     * @return the new register value
     */
    public static long writePart(long register, long offsetInRegister, int size, long value) {
        if (size == 8) {
            return value;
        }
        long half = value & 0xffff_ffffL;
        return offsetInRegister == 0
                ? (register & 0xffff_ffff_0000_0000L) | half
                : (register & 0xffff_ffffL) | (half << 32);
    }
}
