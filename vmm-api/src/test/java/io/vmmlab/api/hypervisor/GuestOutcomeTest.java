package io.vmmlab.api.hypervisor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuestOutcomeTest {
    @Test
    void shutdownPowersOffWithExitCodeZero() {
        GuestOutcome outcome = GuestOutcome.ofSystemReset(0, 0);

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.POWERED_OFF);
        assertThat(outcome.exitCode()).isZero();
    }

    @Test
    void rebootStopsTheMachineAndSaysSo() {
        GuestOutcome outcome = GuestOutcome.ofSystemReset(1, 0);

        assertThat(outcome.status()).isEqualTo(GuestOutcome.Status.REBOOT_REQUESTED);
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.message()).contains("reboot");
    }

    @Test
    void systemFailureReasonFailsTheRunWhateverTheType() {
        assertThat(GuestOutcome.ofSystemReset(0, 1).status()).isEqualTo(GuestOutcome.Status.GUEST_FAILED);
        assertThat(GuestOutcome.ofSystemReset(2, 1).exitCode()).isEqualTo(1);
    }

    @Test
    void legacyShutdownPowersOffAndNamesTheLegacyCall() {
        GuestOutcome outcome = GuestOutcome.ofLegacyShutdown();

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.message()).isEqualTo("guest powered off (legacy SBI shutdown)");
    }
}
