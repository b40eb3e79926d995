package io.vmmlab.cpu.fp;

/**
 * Accrued exception flags: every operation ORs the {@link FpFlags} it raises into {@link #flags} and never
 * clears any. The hart ORs them into {@code fflags}.
 */
public final class FpStatus {
    /** The flags raised so far, a combination of {@link FpFlags} bits. */
    public int flags;
}
