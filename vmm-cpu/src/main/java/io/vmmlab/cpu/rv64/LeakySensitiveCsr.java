package io.vmmlab.cpu.rv64;

import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.csr.CsrFile;

/**
 * The {@value #EXTENSION} hart option: a deliberately non-virtualizable hart, in the manner of x86 before VT-x
 * (Popek and Goldberg's "sensitive but not privileged" instructions). In U-mode, every CSR instruction on
 * {@code sstatus} neither traps nor raises illegal-instruction: it reads the real {@code sstatus} (as SMSW or
 * PUSHF read real state from ring 3) and silently drops the write (as POPF drops a change of IF outside ring 0).
 * A trap-and-emulate VMM that runs its guest kernel in U-mode then never sees these instructions.
 */
final class LeakySensitiveCsr {
    /** The ISA-string extension that selects the behaviour. */
    static final String EXTENSION = "xleakysensitive";
    private static final int SYSTEM = 0x73;

    private LeakySensitiveCsr() {
    }

    /**
     * Executes a U-mode instruction that raised illegal-instruction if it is a leaky one.
     *
     * @param state the hart's registers and pc (at the instruction)
     * @param csrs the CSR file
     * @param bits the instruction
     * @return true when it was executed (pc advanced), false when the trap stands
     */
    static boolean execute(HartState state, CsrFile csrs, int bits) {
        int funct3 = (bits >>> 12) & 7;
        if ((bits & 0x7f) != SYSTEM || funct3 == 0 || funct3 == 4 || (bits >>> 20) != CsrAddress.SSTATUS) {
            return false;
        }
        int rd = (bits >>> 7) & 31;
        if (rd != 0) {
            state.x[rd] = csrs.readDirect(CsrAddress.SSTATUS);
        }
        state.pc += 4;
        return true;
    }
}
