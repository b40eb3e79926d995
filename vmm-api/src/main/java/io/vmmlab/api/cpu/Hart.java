package io.vmmlab.api.cpu;

import io.vmmlab.api.device.InterruptLine;

import java.util.function.LongSupplier;

/**
 * One RISC-V hardware thread: the "physical CPU" under every strategy.
 *
 * <p>The host (runtime or VMM) drives a hart like a KVM vCPU: it calls {@link #run(long)}, which executes guest
 * instructions until something needs the host, and returns a {@link HartExit}. Traps whose target level the
 * host owns ({@link #setTrapInterception}) come back as {@link HartExit#TRAP}; the host emulates or forwards
 * them and calls {@code run} again. Every other trap is taken architecturally, inside the hart.
 *
 * <p>The state accessors are for the host, between runs: they bypass privilege checks and never trap. A hart
 * is driven by one thread at a time; only {@link #interruptLine} and {@link #requestExit()} may be called from
 * other threads.
 */
public interface Hart {

    /**
     * Returns the hart's {@code mhartid}.
     *
     * @return the hart id
     */
    int hartId();

    /**
     * Returns the extensions this hart implements.
     *
     * @return the ISA
     */
    IsaSpec isa();

    /**
     * Executes instructions until an exit.
     *
     * @param maxInstructions instruction budget for this call; the hart returns
     *                        {@link HartExit#BUDGET_EXHAUSTED} once it has retired that many
     * @return why the hart stopped
     */
    HartExit run(long maxInstructions);

    /** {@link #timerDeadline()}: the hart cannot tell when its own timer fires. */
    long TIMER_DEADLINE_UNKNOWN = Long.MIN_VALUE;

    /**
     * Returns the platform time ({@code mtime}) at which this hart's own timer next raises an interrupt (Sstc's
     * {@code stimecmp}, or {@code vstimecmp} less {@code htimedelta}), for a host that lets time pass while every hart
     * waits: {@link Long#MAX_VALUE} when no such timer is armed (the CLINT's {@code mtimecmp} is a device's, not the
     * hart's), a time not after now when one is pending already. Harts that cannot tell return
     * {@link #TIMER_DEADLINE_UNKNOWN} (the default), and the host then moves time in small steps.
     *
     * @return the deadline, {@link Long#MAX_VALUE}, or {@link #TIMER_DEADLINE_UNKNOWN}
     */
    default long timerDeadline() {
        return TIMER_DEADLINE_UNKNOWN;
    }

    /**
     * Returns how many traps this hart has taken in a row inside {@link #run} without retiring an instruction. A trap
     * handler that faults at its first instruction (an unmapped or illegal trap vector) makes a hart take traps
     * forever without progress, and no instruction limit ends that; the host may stop such a guest. Harts that do not
     * keep the count return 0.
     *
     * @return the traps taken since the hart last retired an instruction
     */
    default long trapsWithoutProgress() {
        return 0;
    }

    /**
     * Describes the trap behind the last {@link HartExit#TRAP}.
     *
     * @return the trap, or null when the last exit was not a trap
     */
    PendingTrap pendingTrap();

    /**
     * Chooses which trap targets the host owns.
     *
     * @param interception the levels whose traps exit to the host
     */
    void setTrapInterception(TrapInterception interception);

    /**
     * Takes a trap architecturally, as the hardware would: applies delegation, updates the {@code xepc},
     * {@code xcause}, {@code xtval} and status CSRs of the target level, and jumps to its trap vector. Hosts use
     * it to forward a trap they were handed to the guest-visible level it was meant for.
     *
     * @param cause {@code xcause} value (bit 63 set for interrupts)
     * @param tval {@code xtval} value
     */
    void takeTrap(long cause, long tval);

    /**
     * Returns the program counter.
     *
     * @return pc
     */
    long pc();

    /**
     * Sets the program counter.
     *
     * @param pc the new pc
     */
    void setPc(long pc);

    /**
     * Reads an integer register.
     *
     * @param index 0 to 31; x0 always reads 0
     * @return the register's value
     */
    long register(int index);

    /**
     * Reads a floating-point register of the F and D extensions, for a host that emulates a floating-point store
     * (a VMM's traced page-table write or device access). A hart without F has none.
     *
     * @param index 0 to 31
     * @return the register's 64 bits (a single-precision value NaN-boxed)
     * @throws UnsupportedOperationException on a hart without F (the default)
     */
    default long floatRegister(int index) {
        throw new UnsupportedOperationException("this hart has no floating-point registers");
    }

    /**
     * Writes a floating-point register of the F and D extensions, for a host that emulates a floating-point load
     * (a VMM's device access). Only the register changes: the host marks the floating-point state Dirty
     * ({@code mstatus.FS}, and {@code vsstatus.FS} for a virtualized guest) as the instruction would have.
     *
     * @param index 0 to 31
     * @param value the register's 64 bits (a single-precision value NaN-boxed by the caller)
     * @throws UnsupportedOperationException on a hart without F (the default)
     */
    default void setFloatRegister(int index, long value) {
        throw new UnsupportedOperationException("this hart has no floating-point registers");
    }

    /**
     * Writes an integer register; writes to x0 are ignored.
     *
     * @param index 0 to 31
     * @param value the value
     */
    void setRegister(int index, long value);

    /**
     * Returns the current privilege level.
     *
     * @return the level
     */
    PrivilegeMode privilege();

    /**
     * Tells whether the hart is in a virtualized mode (the H extension's V bit).
     *
     * @return true in VS- and VU-mode
     */
    boolean virtualMode();

    /**
     * Switches privilege level and virtualization mode directly, without a trap or xRET.
     *
     * @param mode the new privilege level
     * @param virtual the new V bit; must be false unless the hart has the H extension
     */
    void setPrivilege(PrivilegeMode mode, boolean virtual);

    /**
     * Reads a CSR as M-mode software would, without privilege checks and without side effects on
     * performance counters.
     *
     * @param address the 12-bit CSR number
     * @return the value
     * @throws IllegalArgumentException when the CSR does not exist on this hart
     */
    long readCsr(int address);

    /**
     * Writes a CSR as M-mode software would (WARL rules apply), without privilege checks.
     *
     * @param address the 12-bit CSR number
     * @param value the value
     * @throws IllegalArgumentException when the CSR does not exist on this hart
     */
    void writeCsr(int address, long value);

    /**
     * Sets bits of a CSR as M-mode {@code csrs} would: for {@code mip}, the base of the read-modify-write is the
     * software-writable SEIP bit, never the interrupt controller's line (privileged spec, "Machine Interrupt
     * Registers"), so setting another bit cannot latch an external interrupt. Prefer it to
     * {@code writeCsr(csr, readCsr(csr) | bits)}, which would latch it.
     *
     * @param address the 12-bit CSR number
     * @param bits the bits to set
     * @throws IllegalArgumentException when the CSR does not exist on this hart
     */
    default void setCsrBits(int address, long bits) {
        writeCsr(address, readCsr(address) | bits);
    }

    /**
     * Clears bits of a CSR as M-mode {@code csrc} would, with the same {@code mip} rule as
     * {@link #setCsrBits(int, long)}.
     *
     * @param address the 12-bit CSR number
     * @param bits the bits to clear
     * @throws IllegalArgumentException when the CSR does not exist on this hart
     */
    default void clearCsrBits(int address, long bits) {
        writeCsr(address, readCsr(address) & ~bits);
    }

    /**
     * Returns the wire a device drives for one of this hart's interrupt inputs.
     *
     * @param interrupt which input
     * @return the line; thread-safe
     */
    InterruptLine interruptLine(HartInterrupt interrupt);

    /** Asks {@link #run(long)} to return {@link HartExit#EXIT_REQUESTED} soon. Thread-safe. */
    void requestExit();

    /**
     * Returns the number of instructions this hart retired since reset ({@code minstret} without writes).
     *
     * @return retired instructions
     */
    long instructionsRetired();

    /**
     * Discards cached translations and decoded code for all addresses, as after an external write to memory
     * that the hart might have cached (a loader, a DMA into code). Hosts call it between runs.
     */
    void flushCaches();

    /**
     * Discards cached address translations for all addresses but keeps decoded code, as after the host rewrote page
     * tables the hart walks (a shadow page table) without touching code: decoded code depends only on the contents of
     * memory. Hosts call it between runs. Harts that do not keep the two apart flush everything.
     */
    default void flushTranslations() {
        flushCaches();
    }

    /**
     * Discards cached address translations of a virtual range, keeping decoded code, as after the host removed the
     * entries of that range from page tables the hart walks (a shadow page table following a guest PTE change): a
     * hypervisor's INVLPG. Harts may discard more (a whole TLB slot, or everything: the default). Hosts call it
     * between runs.
     *
     * @param virtualAddress the range's first address
     * @param length its length in bytes
     */
    default void flushTranslations(long virtualAddress, long length) {
        flushTranslations();
    }

    /**
     * Discards the cached address translations through which a store could reach a physical page, as after the host
     * cleared the write permission of every mapping of that page in page tables the hart walks (a shadow page table
     * write-protecting a guest page); cached translations for loads and fetches may stay. Hosts call it between runs
     * or from a callout. Harts that cannot tell stores apart flush every translation.
     *
     * @param physicalPage any address in the page
     */
    default void revokeWrite(long physicalPage) {
        flushTranslations();
    }

    /**
     * Performs FENCE.I for the hart, as a VMM that emulates the guest's FENCE.I does: afterwards the hart's fetches
     * see every write to memory made before, by any hart, device or the host. Harts that keep decoded code coherent
     * with every write (told through {@link #invalidateCode} for the host's) drop only what was written; the default
     * flushes everything.
     */
    default void fenceInstructions() {
        flushCaches();
    }

    /**
     * Performs a load-reserved that a VMM emulates because it trapped (an LR on a device, which no guest mapping
     * reaches): under the lock the harts' atomic instructions share, runs {@code load}, which reads the value, and
     * gives this hart the reservation its own LR would have (the physical address and the value read), so that an
     * SC there, the hart's own or one the VMM completes through {@link #storeConditional}, succeeds as it would
     * natively. Harts that keep no reservation the host can set just run {@code load}.
     *
     * @param physicalAddress the LR's physical address
     * @param size 4 or 8
     * @param load reads the value (through the VMM's own path): its {@code size} bytes, not sign-extended
     * @return what {@code load} returned
     */
    default long loadReserved(long physicalAddress, int size, LongSupplier load) {
        return load.getAsLong();
    }

    /**
     * Drops this hart's LR reservation, as a trap or an xRET the hart takes itself does: a VMM that delivers a trap
     * to its guest, or emulates the guest's SRET, calls this, so that an SC after it fails as it would natively. Harts
     * that keep no reservation the host can see do nothing.
     */
    default void clearReservation() {
    }

    /**
     * Completes a store-conditional that a VMM emulates because it trapped (a store to a page the VMM write-protects,
     * such as a guest page table under shadow paging): under the lock the harts' atomic instructions share, checks
     * this hart's LR reservation (a load-reserved of the same physical address, memory unchanged since) and, only when
     * it holds, runs {@code store}, which writes the value. The reservation is gone afterwards either way, as after an
     * SC the hart executes itself.
     *
     * @param physicalAddress the SC's physical address
     * @param size 4 or 8
     * @param store writes the SC's value (through the VMM's own path)
     * @return true when the store ran (the SC succeeds: rd = 0), false when it failed (rd = 1)
     * @throws UnsupportedOperationException from harts that keep no reservation the host can check (failing every
     *         such SC instead would livelock the guest's LR/SC loop)
     */
    default boolean storeConditional(long physicalAddress, int size, Runnable store) {
        throw new UnsupportedOperationException("this hart cannot complete a store-conditional for the host");
    }

    /**
     * Runs a read-modify-write a VMM emulates for an atomic memory operation that trapped, under the lock the harts'
     * atomic instructions share, so that it is atomic with respect to theirs.
     *
     * @param update reads, computes and writes
     */
    default void atomically(Runnable update) {
        update.run();
    }

    /**
     * Discards decoded code for a range of physical memory that the host rewrote between runs or from a callout
     * (such as a translation cache it patched). Harts that cannot do it for a range flush everything. A hart that
     * shares its RAM with others may also make the write known to them, so that their next
     * {@link #fenceInstructions() FENCE.I} drops their code of the range; call it on every hart whose code must go
     * at once.
     *
     * @param physicalAddress first byte rewritten
     * @param length bytes rewritten
     */
    default void invalidateCode(long physicalAddress, long length) {
        flushCaches();
    }

    /**
     * Registers the handler of callout instructions (see {@link CalloutHandler}), or with null removes it; decoded
     * code is discarded. Optional: harts without callouts throw.
     *
     * @param handler the handler, or null
     * @throws UnsupportedOperationException when this hart has no callout support
     */
    default void setCalloutHandler(CalloutHandler handler) {
        throw new UnsupportedOperationException("this hart has no callout support");
    }

    /**
     * Resets the hart: registers to zero, M-mode, CSRs to their reset values, pc to {@code pc}.
     *
     * @param pc where execution starts
     */
    void reset(long pc);
}
