package io.vmmlab.cpu.translate;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Settings of the translating engine.
 *
 * @param hotThreshold executions of a block before it is translated while regions pay for themselves; up to 16 times
 *                     more while they do not ({@link TranslationPayoff}); 0: on its first execution, always
 * @param cacheCapacity most translations a hart keeps (see {@link TranslationCache})
 * @param builder where regions are built (code generated, class defined): the hart's own thread
 *                ({@link #ON_THE_HART}), so a hot block runs translated at once, or {@link #BACKGROUND}, so the hart
 *                goes on interpreting meanwhile; the hart attaches finished code itself either way
 */
public record TranslatorConfig(int hotThreshold, int cacheCapacity, Executor builder) {
    /** Builds regions on the thread that asks, before it goes on. */
    public static final Executor ON_THE_HART = Runnable::run;
    /** Builds regions on one daemon thread shared by every hart of the JVM. */
    public static final Executor BACKGROUND = Background.EXECUTOR;

    /**
     * The defaults of the {@code translator} engine. A hot threshold of 4000 rather than 2000 since regions stopped
     * copying each other's blocks: Linux to init 0.65 -> 0.60 s and 0.61 -> 0.58 s (five and six runs each),
     * bench.elf unchanged (2.39 vs 2.43 s, 2.36 vs 2.38 s; six and ten interleaved runs); 8000 cost bench.elf 0.07 s.
     */
    public static final TranslatorConfig DEFAULT = new TranslatorConfig(4000, 8192, BACKGROUND);

    /**
     * Returns these settings with another builder.
     *
     * @param otherBuilder where regions are built
     * @return the copy
     */
    public TranslatorConfig withBuilder(Executor otherBuilder) {
        return new TranslatorConfig(hotThreshold, cacheCapacity, otherBuilder);
    }

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException for a negative threshold or a capacity below 4
     */
    public TranslatorConfig {
        if (hotThreshold < 0) {
            throw new IllegalArgumentException("hotThreshold must not be negative: " + hotThreshold);
        }
        if (cacheCapacity < 4) {
            throw new IllegalArgumentException("cacheCapacity must be at least 4: " + cacheCapacity);
        }
        Objects.requireNonNull(builder, "builder is null");
    }

    /**
     * Settings that build regions on the hart's thread (tests, and anyone who wants a hot block translated before
     * it runs again).
     *
     * @param hotThreshold executions of a block before it is translated while regions pay for themselves (see
     *                     the record's own parameter)
     * @param cacheCapacity most translations a hart keeps
     */
    public TranslatorConfig(int hotThreshold, int cacheCapacity) {
        this(hotThreshold, cacheCapacity, ON_THE_HART);
    }

    /** The background thread, created when first used. */
    private static final class Background {
        static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(task -> {
            // No inherited thread-locals: the thread outlives the run that happens to start it (in a resident host,
            // that run's session).
            Thread thread = new Thread(null, task, "vmm-translator", 0, false);
            thread.setDaemon(true);
            return thread;
        });
    }
}
