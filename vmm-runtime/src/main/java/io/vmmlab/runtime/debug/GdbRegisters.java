package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.Hypervisor;

import java.util.HexFormat;

/**
 * A hart's registers by GDB's numbers ({@link TargetDescription}), as GDB's packets carry them: each register's bytes
 * in little-endian order, in hex, 8 bytes wide (4 for a single-precision f register and for fflags, frm and fcsr).
 * Values are the guest's: pc as {@link Hypervisor#guestPc} gives it, CSRs as {@link Hypervisor#guestCsr} does.
 */
final class GdbRegisters {
    private static final HexFormat HEX = HexFormat.of();

    private final TargetDescription target;
    private final Hypervisor hypervisor;

    GdbRegisters(TargetDescription target, Hypervisor hypervisor) {
        this.target = target;
        this.hypervisor = hypervisor;
    }

    /**
     * Tells whether a number is a register here.
     *
     * @param number GDB's number
     * @return true when described
     */
    boolean exists(int number) {
        return bits(number) != 0;
    }

    /**
     * Reads a register.
     *
     * @param hart the hart
     * @param number GDB's number, one that {@link #exists}
     * @return its value as GDB expects it
     */
    String read(Hart hart, int number) {
        long value;
        if (number == TargetDescription.PC) {
            value = hypervisor.guestPc(hart, hart.pc());
        } else if (number < TargetDescription.PC) {
            value = hart.register(number);
        } else if (target.isFloat(number)) {
            value = hart.floatRegister(number - TargetDescription.FIRST_FLOAT);
        } else {
            value = hypervisor.guestCsr(hart, target.csr(number));
        }
        return HEX.toHexDigits(Long.reverseBytes(value)).substring(0, bits(number) / 4);
    }

    /**
     * Writes a register: pc only where the hart runs the guest's own code (not a binary translation's copy); an f
     * register (a single NaN-boxed); never x0; a CSR as {@link Hypervisor#setGuestCsr} allows (the guest's own, as
     * the guest sees them; never the VMM's).
     *
     * @param hart the hart
     * @param number GDB's number, one that {@link #exists}
     * @param hex the value as GDB sends it
     * @return false when the register cannot be written
     * @throws IllegalArgumentException when the value is not as wide as the register
     */
    boolean write(Hart hart, int number, String hex) {
        if (hex.length() != bits(number) / 4) {
            throw new IllegalArgumentException("register " + number + " is " + bits(number) / 8 + " bytes");
        }
        long value = 0;
        for (int i = hex.length() - 2; i >= 0; i -= 2) {
            value = value << 8 | Integer.parseInt(hex.substring(i, i + 2), 16);
        }
        if (number == TargetDescription.PC) {
            if (hypervisor.guestPc(hart, hart.pc()) != hart.pc()) {
                return false;
            }
            hart.setPc(value);
        } else if (number < TargetDescription.PC) {
            if (number != 0) {
                hart.setRegister(number, value);
            }
        } else if (target.isFloat(number)) {
            hart.setFloatRegister(number - TargetDescription.FIRST_FLOAT,
                    target.floatBits() == 32 ? value | 0xffff_ffff_0000_0000L : value);
        } else {
            return hypervisor.setGuestCsr(hart, target.csr(number), value);
        }
        return true;
    }

    /** A register's width in bits, 0 for a number not described. */
    private int bits(int number) {
        if (number >= 0 && number < TargetDescription.GENERAL) {
            return 64;
        }
        if (target.isFloat(number)) {
            return target.floatBits();
        }
        int csr = target.csr(number);
        return csr < 0 ? 0 : csr <= 3 ? 32 : 64;
    }
}
