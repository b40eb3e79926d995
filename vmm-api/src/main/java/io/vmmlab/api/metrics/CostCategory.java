package io.vmmlab.api.metrics;

/**
 * The kinds of event a {@link CostModel} prices. Every counter belongs to exactly one category, so a cost model
 * can re-price a run without re-running it.
 */
public enum CostCategory {
    /** A guest instruction retired by the hart. */
    INSTRUCTION,
    /**
     * A trap taken and returned from inside the guest, without leaving it. On the native baseline, which has no
     * VMM, a trap into the machine's own firmware (an SBI call, a machine timer interrupt) is one too: the hardware
     * takes it and returns from it, as it does a system call.
     */
    GUEST_TRAP,
    /** A trap from the deprivileged guest into the VMM and back (trap-and-emulate). */
    TRAP_ROUND_TRIP,
    /** A hardware-assisted VM exit and re-entry (H extension). */
    VM_EXIT,
    /** A hypercall from a paravirtualized guest and its return. */
    HYPERCALL,
    /** A direct call from translated guest code into the VMM, without a trap, to emulate a sensitive instruction. */
    CALLOUT,
    /**
     * A jump in translated code whose target the translator looks up in its translation cache (an indirect jump or
     * return, or a direct jump not chained to its target), without emulating a guest instruction.
     */
    TRANSLATED_JUMP,
    /** A page-table walk (one level, either stage). */
    PAGE_WALK,
    /** A TLB flush or shadow-table flush. */
    TLB_FLUSH,
    /** Emulating one device register access. */
    MMIO_EMULATION,
    /** Translating one guest block. */
    TRANSLATION,
    /** Informational: counted and reported but free. */
    NONE
}
