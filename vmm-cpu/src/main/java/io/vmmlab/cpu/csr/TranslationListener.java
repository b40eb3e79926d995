package io.vmmlab.cpu.csr;

/** What the CSR file tells the MMU when a register that controls address translation changes. */
public interface TranslationListener {

    /** A translation root (satp, vsatp, hgatp) changed: cached translations are stale. */
    void translationFlushed();

    /**
     * Status bits that select the effective privilege or permissions of accesses (MPRV, MPP, SUM, MXR, MPV)
     * may have changed.
     */
    void translationContextChanged();
}
