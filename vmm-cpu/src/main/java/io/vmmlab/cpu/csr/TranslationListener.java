package io.vmmlab.cpu.csr;

/** What the CSR file tells the MMU when a register that controls address translation changes. */
public interface TranslationListener {

    /** hgatp changed, or the hart was reset: cached translations are stale. */
    void translationFlushed();

    /**
     * vsatp was written (possibly with the value it had): guest translations cached under other vsatp values do not
     * apply.
     *
     * @param vsatp the new value
     */
    void vsatpWritten(long vsatp);

    /**
     * satp was written (possibly with the value it had): translations cached under other satp values do not apply.
     *
     * @param satp the new value
     */
    void satpWritten(long satp);

    /** A PMP register was written, or the hart was reset: the protection rules changed. */
    void protectionChanged();

    /**
     * Status bits that select the effective privilege or permissions of accesses (MPRV, MPP, SUM, MXR, MPV)
     * may have changed.
     */
    void translationContextChanged();
}
