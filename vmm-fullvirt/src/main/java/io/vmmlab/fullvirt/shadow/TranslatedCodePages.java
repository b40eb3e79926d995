package io.vmmlab.fullvirt.shadow;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What the shadows must know about binary translation: the window of guest-virtual addresses where the translation
 * cache is mapped (execute-only, supervisor views only), and the guest pages that hold translated code (kept
 * write-protected, like page tables, so that a write to one is heard and its translations dropped).
 */
final class TranslatedCodePages {
    private final long virtualBase;
    private final long physicalBase;
    private final long size;
    private final LongConsumer written;
    private final Set<Long> pages = new HashSet<>();

    /**
     * Creates the bookkeeping.
     *
     * @param virtualBase the window's guest-virtual base
     * @param physicalBase the translation cache's physical base
     * @param size the window size
     * @param written told the guest-physical page after a write to a page with translated code
     */
    TranslatedCodePages(long virtualBase, long physicalBase, long size, LongConsumer written) {
        this.virtualBase = virtualBase;
        this.physicalBase = physicalBase;
        this.size = size;
        this.written = written;
    }

    /** No translation: no window, no code pages. */
    static TranslatedCodePages none() {
        return new TranslatedCodePages(0, 0, 0, page -> { });
    }

    /** @return whether translation is in use (supervisor views then never execute guest pages) */
    boolean enabled() {
        return size > 0;
    }

    boolean inWindow(long va) {
        return va - virtualBase >= 0 && va - virtualBase < size;
    }

    /** @return the cache page behind a window address */
    long cachePage(long va) {
        return physicalBase + ((va - virtualBase) & ~0xfffL);
    }

    /** @return true when the page was not protected yet */
    boolean protect(long page) {
        return pages.add(page);
    }

    void release(long page) {
        pages.remove(page);
    }

    boolean isCode(long page) {
        return pages.contains(page);
    }

    /** Reports a write to a page if it holds translated code. */
    void noteWrite(long page) {
        if (pages.contains(page)) {
            written.accept(page);
        }
    }
}
