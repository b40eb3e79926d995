package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiPlatform;

/**
 * The SBI hart mask convention (SBI spec v2.0, section 3.1): bit i of {@code mask} selects hart
 * {@code base + i}; a base of -1 selects every hart.
 */
final class HartMask {
    private HartMask() {
    }

    /**
     * What a call does to each selected hart. Constants rather than method references: Linux makes its first remote
     * fence mid-boot, and a method reference the start-up cache's training never ran is generated then (a class and
     * its method handle forms, on the hart's thread).
     */
    enum Action {
        /** Raise the hart's supervisor software interrupt. */
        SOFTWARE_INTERRUPT {
            @Override
            void apply(SbiPlatform platform, int hart) {
                platform.sendSoftwareInterrupt(hart);
            }
        },
        /** Flush the hart's cached translations and decoded code. */
        REMOTE_FENCE {
            @Override
            void apply(SbiPlatform platform, int hart) {
                platform.remoteFence(hart);
            }
        };

        abstract void apply(SbiPlatform platform, int hart);
    }

    /**
     * Applies an action to every selected hart.
     *
     * @param mask the mask
     * @param base the first hart id of the mask, or -1 for all harts
     * @param platform the machine
     * @param action what to do to each hart
     * @return false when the mask names a hart that does not exist
     */
    static boolean forEach(long mask, long base, SbiPlatform platform, Action action) {
        int harts = platform.hartCount();
        if (base == -1) {
            for (int hart = 0; hart < harts; hart++) {
                action.apply(platform, hart);
            }
            return true;
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask >>> bit & 1) != 0) {
                long hart = base + bit;
                if (base < 0 || hart < 0 || hart >= harts) {
                    return false;
                }
            }
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask >>> bit & 1) != 0) {
                action.apply(platform, (int) (base + bit));
            }
        }
        return true;
    }
}
