package io.vmmlab.cpu.translate;

import io.vmmlab.cpu.decode.Block;

import java.util.ArrayDeque;

/**
 * Bounds the translated code a hart keeps: it remembers the blocks that received code, oldest first, and when
 * more than {@link #capacity} translations were made it detaches the oldest quarter (their generated classes
 * then become unreachable and the JVM unloads them). Translations dropped earlier by invalidation (their page's
 * code was written, FENCE.I) still count until they leave the queue, so the bound holds in every case.
 */
public final class TranslationCache {
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long evictions;

    private record Entry(Block block, TranslatedCode code) {
    }

    /**
     * Creates a cache.
     *
     * @param capacity most translations kept at once (at least 4)
     */
    public TranslationCache(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Attaches code to its entry block, evicting the oldest translations when the cache is full.
     *
     * @param block the region's entry block
     * @param code its translation
     */
    public void add(Block block, TranslatedCode code) {
        if (entries.size() >= capacity) {
            int keep = capacity - capacity / 4;
            while (entries.size() >= keep) {
                Entry oldest = entries.removeFirst();
                if (oldest.block().code == oldest.code()) {
                    oldest.block().code = null;
                    evictions++;
                }
            }
        }
        entries.addLast(new Entry(block, code));
        block.code = code;
    }

    /** Returns how many translations are remembered (live or already invalidated). */
    public int size() {
        return entries.size();
    }

    /** Returns how many live translations were evicted to keep the bound. */
    public long evictions() {
        return evictions;
    }
}
