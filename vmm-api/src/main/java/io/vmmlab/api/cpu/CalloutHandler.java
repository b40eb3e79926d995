package io.vmmlab.api.cpu;

/**
 * Receives the hart's callouts: instructions of the reserved custom-0 major opcode ({@value #OPCODE}) that a VMM
 * placed in code it generated (a binary translator's translation cache), executed in-line without a trap.
 *
 * <p>When a handler is registered ({@link Hart#setCalloutHandler}), a hart that executes such an instruction takes
 * no exception, changes no CSR and does not return to its host: it calls {@link #callout} and then goes on at
 * whatever pc the handler left. Without a handler the encoding is an illegal instruction, as the ISA says.
 */
public interface CalloutHandler {
    /** The major opcode of callout instructions: custom-0 (ISA manual, "RV32/64G Instruction Set Listings"). */
    int OPCODE = 0x0b;

    /**
     * Runs one callout. On entry {@link Hart#pc()} is the callout instruction's pc; the handler must set the pc the
     * hart continues at, and may use every host accessor of the hart (registers, CSRs, privilege, caches) or call
     * {@link Hart#requestExit()} to make the current {@link Hart#run(long)} return to its host.
     *
     * @param hart the hart executing the callout
     * @param bits the 32-bit instruction
     */
    void callout(Hart hart, int bits);
}
