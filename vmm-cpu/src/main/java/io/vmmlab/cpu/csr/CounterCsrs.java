package io.vmmlab.cpu.csr;

import io.vmmlab.cpu.rv64.HartState;

/**
 * The Zicntr counters and {@code mcountinhibit} (Privileged spec, "Hardware Performance Monitor" and
 * "Machine Counter-Inhibit CSR").
 *
 * <p>Both {@code mcycle} and {@code minstret} derive from the retired-instruction count: this interpreter
 * models one cycle per instruction, which keeps runs deterministic. A write stores an offset. Writes happen
 * while the writing instruction has not yet retired, so the offset absorbs that instruction's own increment:
 * the next read sees exactly the written value (rv64mi-p-instret_overflow). {@code mhpmcounter3..31} and
 * {@code mhpmevent3..31} are hardwired to zero.
 */
public final class CounterCsrs {
    private static final long INHIBIT_CYCLE = 1;
    private static final long INHIBIT_INSTRET = 4;

    private final HartState state;
    private long cycleOffset;
    private long instretOffset;
    private long inhibit;
    private long frozenCycle;
    private long frozenInstret;

    /**
     * Creates the counters.
     *
     * @param state where retired instructions are counted
     */
    public CounterCsrs(HartState state) {
        this.state = state;
    }

    /** Returns mcycle. */
    public long cycle() {
        return (inhibit & INHIBIT_CYCLE) != 0 ? frozenCycle : state.instret + cycleOffset;
    }

    /** Returns minstret. */
    public long instret() {
        return (inhibit & INHIBIT_INSTRET) != 0 ? frozenInstret : state.instret + instretOffset;
    }

    /**
     * Writes mcycle from inside an executing instruction.
     *
     * @param value the new value
     */
    public void writeCycle(long value) {
        frozenCycle = value;
        cycleOffset = value - state.instret - 1;
    }

    /**
     * Writes minstret from inside an executing instruction.
     *
     * @param value the new value
     */
    public void writeInstret(long value) {
        frozenInstret = value;
        instretOffset = value - state.instret - 1;
    }

    /** Returns mcountinhibit. */
    public long inhibit() {
        return inhibit;
    }

    /**
     * Writes mcountinhibit (CY and IR are writable; the HPM bits are hardwired to zero).
     *
     * @param value the new value
     */
    public void writeInhibit(long value) {
        long next = value & (INHIBIT_CYCLE | INHIBIT_INSTRET);
        if ((next & INHIBIT_CYCLE) != 0 && (inhibit & INHIBIT_CYCLE) == 0) {
            frozenCycle = cycle();
        } else if ((next & INHIBIT_CYCLE) == 0 && (inhibit & INHIBIT_CYCLE) != 0) {
            cycleOffset = frozenCycle - state.instret - 1;
        }
        if ((next & INHIBIT_INSTRET) != 0 && (inhibit & INHIBIT_INSTRET) == 0) {
            frozenInstret = instret();
        } else if ((next & INHIBIT_INSTRET) == 0 && (inhibit & INHIBIT_INSTRET) != 0) {
            instretOffset = frozenInstret - state.instret - 1;
        }
        inhibit = next;
    }

    /** Resets the counters to zero. */
    public void reset() {
        cycleOffset = -state.instret;
        instretOffset = -state.instret;
        inhibit = 0;
    }
}
