package io.vmmlab.cpu.translate;

/**
 * Settings of the translating engine.
 *
 * @param hotThreshold executions of a block before it is translated (0: on its first execution)
 * @param cacheCapacity most translations a hart keeps (see {@link TranslationCache})
 */
public record TranslatorConfig(int hotThreshold, int cacheCapacity) {
    /** The defaults of the {@code translator} engine. */
    public static final TranslatorConfig DEFAULT = new TranslatorConfig(2000, 8192);

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
    }
}
