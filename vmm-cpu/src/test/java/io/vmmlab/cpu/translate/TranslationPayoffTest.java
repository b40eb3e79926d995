package io.vmmlab.cpu.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hot threshold adapting to how much of the run translated code carries ({@link TranslationPayoff}). */
class TranslationPayoffTest {
    private static final long WINDOW = TranslationPayoff.WINDOW;

    private final TranslationPayoff payoff = new TranslationPayoff(4000);

    @Test
    void itStartsAtTheBase() {
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /** Each window in which translated code ran less than half of the instructions doubles the threshold. */
    @Test
    void windowsOfMostlyColdCodeRaiseTheThreshold() {
        payoff.ranTranslated((int) (WINDOW / 2 - 1));
        payoff.judge(WINDOW);
        assertThat(payoff.threshold()).isEqualTo(8000);

        payoff.judge(2 * WINDOW);
        assertThat(payoff.threshold()).isEqualTo(16000);
    }

    @Test
    void theThresholdRisesToSixteenTimesTheBaseAtMost() {
        for (int window = 1; window <= 10; window++) {
            payoff.judge(window * WINDOW);
        }
        assertThat(payoff.threshold()).isEqualTo(4000 << TranslationPayoff.MAX_LEVEL).isEqualTo(64000);
    }

    /** One window in which translated code carried at least half of the run brings the base back. */
    @Test
    void aWindowCarriedByTranslatedCodeRestoresTheBase() {
        payoff.judge(WINDOW);
        payoff.judge(2 * WINDOW);
        payoff.ranTranslated((int) (WINDOW / 2));

        payoff.judge(3 * WINDOW);

        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    @Test
    void nothingChangesBeforeAWindowHasPassed() {
        payoff.judge(WINDOW - 1);
        assertThat(payoff.threshold()).isEqualTo(4000);
    }

    /** After a hart reset the count starts again from 0: a new window starts rather than waiting to pass the old. */
    @Test
    void aCountThatWentBackStartsANewWindow() {
        payoff.judge(50 * WINDOW);
        payoff.judge(10);

        payoff.judge(10 + WINDOW);

        assertThat(payoff.threshold()).isEqualTo(16000);
    }

    /** A base so high that doubling it overflows an int gives the largest int instead. */
    @Test
    void aRaisedThresholdSaturates() {
        TranslationPayoff high = new TranslationPayoff(Integer.MAX_VALUE / 2);
        high.judge(WINDOW);
        assertThat(high.threshold()).isEqualTo(Integer.MAX_VALUE - 1);
        high.judge(2 * WINDOW);
        assertThat(high.threshold()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aZeroBaseTranslatesEveryBlockAlwaysAndNegativeBasesAreRejected() {
        TranslationPayoff eager = new TranslationPayoff(0);
        eager.judge(WINDOW);
        assertThat(eager.threshold()).isZero();
        assertThatThrownBy(() -> new TranslationPayoff(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
