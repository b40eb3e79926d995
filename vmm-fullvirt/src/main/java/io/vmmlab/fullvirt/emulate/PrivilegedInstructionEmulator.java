package io.vmmlab.fullvirt.emulate;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;
import io.vmmlab.fullvirt.vcpu.VirtualTrapInjector;

/**
 * Trap-and-emulate: the guest kernel runs in the hart's U-mode, so each of its privileged instructions raises an
 * illegal-instruction exception whose {@code tval} holds the instruction bits. This class emulates CSR accesses on
 * the virtual supervisor CSRs, SRET, SFENCE.VMA and WFI, and says which instructions are illegal for the guest as
 * well (to be reflected to it). Every emulated instruction is counted in group {@code trap-emulate}.
 */
public final class PrivilegedInstructionEmulator {
    private static final String[] GROUPS = {"trap-emulate", "callout"};
    private static final CostCategory[] CATEGORIES = {CostCategory.TRAP_ROUND_TRIP, CostCategory.CALLOUT};
    private static final String[] CSR_MNEMONICS = {"", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci"};

    private final CsrEmulator csrs;
    private final VirtualTrapInjector injector;
    private final Counters counters;
    // The counter of each path, CSR instruction and CSR, made on first use: a row of 4096 per path and funct3.
    private final Counter[][] csrCounters = new Counter[GROUPS.length * CSR_MNEMONICS.length][];
    private final Counter[] sret = new Counter[2];
    private final Counter[] sfence = new Counter[2];
    private final Counter[] wfi = new Counter[2];

    /** What emulation did. */
    public enum Outcome {
        /** Emulated; pc is past the instruction (or at the SRET target). */
        EMULATED,
        /** WFI with no interrupt pending: pc is past it and the hart may wait. */
        WAIT,
        /** Illegal for the guest kernel too: the caller reflects an illegal-instruction exception. */
        ILLEGAL
    }

    /**
     * Creates the emulator.
     *
     * @param csrs the CSR emulation
     * @param injector trap entry and return on the virtual state
     * @param counters where to count
     */
    public PrivilegedInstructionEmulator(CsrEmulator csrs, VirtualTrapInjector injector, Counters counters) {
        this.csrs = csrs;
        this.injector = injector;
        this.counters = counters;
        for (int path = 0; path < 2; path++) {
            sret[path] = counters.counter(GROUPS[path], "sret", CATEGORIES[path]);
            sfence[path] = counters.counter(GROUPS[path], "sfence-vma", CATEGORIES[path]);
            wfi[path] = counters.counter(GROUPS[path], "wfi", CATEGORIES[path]);
        }
    }

    /**
     * Emulates one instruction of the guest kernel (virtual S-mode).
     *
     * @param hart the real hart, stopped at the instruction
     * @param state the guest's virtual state
     * @param bits the instruction (from the illegal-instruction tval)
     * @param externalPending whether the real external interrupt line is raised
     * @return the outcome
     */
    public Outcome emulate(Hart hart, VirtualSupervisorState state, int bits, boolean externalPending) {
        return emulate(hart, state, bits, externalPending, false);
    }

    /**
     * Emulates one instruction of the guest kernel (virtual S-mode), reached by a trap or by a callout of
     * translated code; it is counted in group {@code trap-emulate} or {@code callout} accordingly.
     *
     * @param hart the real hart, with pc at the instruction's guest pc
     * @param state the guest's virtual state
     * @param bits the instruction
     * @param externalPending whether the real external interrupt line is raised
     * @param callout true when translated code called out, false after an illegal-instruction trap
     * @return the outcome
     */
    public Outcome emulate(Hart hart, VirtualSupervisorState state, int bits, boolean externalPending,
                           boolean callout) {
        int path = callout ? 1 : 0;
        if (InstructionDecoder.isCsrAccess(bits)) {
            return csrAccess(hart, state, bits, externalPending, path);
        }
        if (bits == InstructionDecoder.SRET) {
            sret[path].increment();
            injector.returnFromTrap(hart, state);
            return Outcome.EMULATED;
        }
        if (InstructionDecoder.isSfenceVma(bits)) {
            // Shadow entries are kept coherent by tracing guest PTE writes, so the fence only needs counting.
            sfence[path].increment();
            hart.setPc(hart.pc() + 4);
            return Outcome.EMULATED;
        }
        if (bits == InstructionDecoder.WFI) {
            wfi[path].increment();
            hart.setPc(hart.pc() + 4);
            long pending = injector.pendingInterrupts(state, externalPending) & state.sie();
            return pending != 0 ? Outcome.EMULATED : Outcome.WAIT;
        }
        return Outcome.ILLEGAL;
    }

    /**
     * Tells whether an emulated instruction leaves everything the real hart is programmed from (shadow view,
     * interrupt enables, pending virtual interrupts, timer) as it was, so that the guest may go on without the
     * hart being bound again: CSR reads, and writes to sscratch, sepc, scause, stval, stvec, scounteren and
     * senvcfg.
     *
     * @param bits an instruction that {@link #emulate} emulated
     * @return true when no re-binding is needed
     */
    public static boolean keepsHostState(int bits) {
        if (!InstructionDecoder.isCsrAccess(bits)) {
            return false;
        }
        int funct3 = InstructionDecoder.funct3(bits);
        boolean writes = funct3 == 1 || funct3 == 5 || InstructionDecoder.rs1(bits) != 0;
        return !writes || switch (InstructionDecoder.csr(bits)) {
            case 0x140, 0x141, 0x142, 0x143, 0x105, 0x106, 0x10a -> true;
            default -> false;
        };
    }

    private Counter csrCounter(int path, int funct3, int csr) {
        int row = path * CSR_MNEMONICS.length + funct3;
        if (csrCounters[row] == null) {
            csrCounters[row] = new Counter[1 << 12];
        }
        Counter counter = csrCounters[row][csr];
        if (counter == null) {
            counter = counters.counter(GROUPS[path], CSR_MNEMONICS[funct3] + "-" + CsrNumbers.name(csr),
                    CATEGORIES[path]);
            csrCounters[row][csr] = counter;
        }
        return counter;
    }

    private Outcome csrAccess(Hart hart, VirtualSupervisorState state, int bits, boolean externalPending, int path) {
        int csr = InstructionDecoder.csr(bits);
        int funct3 = InstructionDecoder.funct3(bits);
        int rd = InstructionDecoder.rd(bits);
        int rs1 = InstructionDecoder.rs1(bits);
        boolean writes = funct3 == 1 || funct3 == 5 || rs1 != 0;
        if (!csrs.exists(csr) || writes && CsrEmulator.readOnly(csr)) {
            return Outcome.ILLEGAL;
        }
        csrCounter(path, funct3, csr).increment();
        long operand = funct3 >= 5 ? rs1 : hart.register(rs1);
        long old = csrs.read(hart, state, csr, externalPending);
        if (writes) {
            long value = switch (funct3 & 3) {
                case 1 -> operand;
                case 2 -> old | operand;
                default -> old & ~operand;
            };
            csrs.write(hart, state, csr, value);
        }
        hart.setRegister(rd, old);
        hart.setPc(hart.pc() + 4);
        return Outcome.EMULATED;
    }
}
