package io.vmmlab.runtime.experiment;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.ExitSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ExperimentTest {

    private static Experiment nullcalls(int iterations) {
        return Experiment.builder()
                .kernel("bundled:kernel-native")
                .append("workloads=nullcall nullcall=" + iterations)
                .costModel(CostModelCatalog.presets().resolve("pentium4-2006"))
                .build();
    }

    @Test
    void runsTheBundledKernelAndReadsItsResultLine() {
        ExperimentResult result = nullcalls(500).run();

        assertThat(result.poweredOff()).as(result.console()).isTrue();
        assertThat(result.strategy()).isEqualTo("native");
        assertThat(result.workloads()).hasSize(1);
        WorkloadResult nullcall = result.workload("nullcall").orElseThrow();
        assertThat(nullcall.iterations()).isEqualTo(500);
        assertThat(nullcall.passed()).isTrue();
        assertThat(result.events(CostCategory.GUEST_TRAP)).isGreaterThanOrEqualTo(500);
        assertThat(result.instructions()).isEqualTo(result.counter("hart", "instructions"));
        // Native has no VMM: its firmware calls are hardware traps into M-mode, not trap-and-emulate round trips.
        assertThat(result.counter("sbi", "time")).isPositive();
        assertThat(result.events(CostCategory.TRAP_ROUND_TRIP)).isZero();
    }

    /**
     * Without Sstc the kernel sets its timer through SBI; the built-in firmware's own write of the CLINT's mtimecmp is
     * not one of the guest's device accesses (it counted 60 on this run, against none under fullvirt).
     */
    @Test
    void theFirmwaresTimerWritesAreNotTheGuestsDeviceAccesses() {
        ExperimentResult result = Experiment.builder().kernel("bundled:kernel-native").isa("rv64imac")
                .append("workloads=compute compute=1").deterministic(true).build().run();

        assertThat(result.poweredOff()).as(result.console()).isTrue();
        assertThat(result.counter("sbi", "time")).as("the kernel set its timer through SBI").isPositive();
        assertThat(result.counter("mmio", "clint-write")).isZero();
    }

    /** A library user's exit profile: natively the VMM is the Java firmware, entered by the kernel's SBI calls. */
    @Test
    void anExitProfileCountsWhereTheGuestEnteredItsVmm() {
        ExitProfile profile = new ExitProfile();
        ExperimentResult result = nullcalls(300).run(Plugins.discover(), profile);

        assertThat(result.poweredOff()).as(result.console()).isTrue();
        assertThat(profile.top(profile.places())).extracting(ExitSite::reason)
                .contains("ecall-from-s a7=0x53525354 (sbi srst)", "ecall-from-s a7=0x10 (sbi base)");
        assertThat(profile.total()).isEqualTo(result.counter("sbi", "base") + result.counter("sbi", "srst")
                + result.counter("sbi", "time") + result.counter("sbi", "rfence") + result.counter("sbi", "hsm")
                + result.counter("sbi", "dbcn"));
        // each SBI call is a guest trap natively, priced 242 cycles by pentium4-2006, and the firmware counts nothing
        // else while it handles one
        CostModel model = CostModelCatalog.presets().resolve("pentium4-2006");
        assertThat(profile.top(profile.places())).allSatisfy(site ->
                assertThat(site.events()).isEqualTo(Map.of(CostCategory.GUEST_TRAP, site.count())));
        assertThat(profile.modeledCycles(model)).isEqualTo(profile.total() * 242.0);
    }

    @Test
    void deterministicRunsGiveIdenticalCounters() {
        ExperimentResult first = nullcalls(300).run();
        ExperimentResult second = nullcalls(300).run();

        assertThat(second.instructions()).isEqualTo(first.instructions());
        assertThat(second.counters()).isEqualTo(first.counters());
        assertThat(second.console()).isEqualTo(first.console());
    }

    @Test
    void moreIterationsCostMoreModeledCycles() {
        assertThat(nullcalls(400).run().modeledCycles()).isGreaterThan(nullcalls(100).run().modeledCycles());
    }

    @Test
    void repricesTheSameCountersUnderAnotherModel() {
        ExperimentResult result = nullcalls(100).run();
        CostModel trapsOnly = new CostModel("traps", "test", Map.of(CostCategory.GUEST_TRAP, 1000.0));

        assertThat(result.modeledCycles(trapsOnly))
                .isEqualTo(1000.0 * result.events(CostCategory.GUEST_TRAP));
    }

    @Test
    void blockioRunsOnAScratchDisk() {
        ExperimentResult result = Experiment.builder()
                .kernel("bundled:kernel-native")
                .append("workloads=blockio blockio=16")
                .scratchDisk(1L << 20)
                .build()
                .run();

        assertThat(result.workload("blockio").orElseThrow().passed()).as(result.console()).isTrue();
    }

    @Test
    void instructionLimitEndsTheRunEarly() {
        ExperimentResult result = Experiment.builder().kernel("bundled:kernel-native").maxInstructions(10_000)
                .build().run();

        assertThat(result.outcome().status()).isEqualTo(GuestOutcome.Status.LIMIT_REACHED);
        assertThat(result.workloads()).isEmpty();
    }

    @Test
    void unknownStrategyIsAOneLineError() {
        Experiment experiment = Experiment.builder().strategy("no-such").kernel("bundled:kernel-native").build();

        assertThatThrownBy(experiment::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown strategy 'no-such'; available:");
    }

    @Test
    void aMissingKernelFileIsAnIllegalArgument(@TempDir Path directory) {
        Experiment experiment = Experiment.builder().kernel(directory.resolve("absent.elf").toString()).build();

        assertThatThrownBy(experiment::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("absent.elf: no such file");
    }

    @Test
    void anUnknownBundledGuestIsAnIllegalArgument() {
        assertThatThrownBy(() -> Experiment.builder().kernel("bundled:no-such").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown bundled guest 'no-such'");
    }

    @Test
    void scratchDiskMustBeWholeSectors() {
        assertThatThrownBy(() -> Experiment.builder().scratchDisk(1000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 512");
    }

    /**
     * mtvec at an address with no memory, then a load from address 0: the access fault's handler cannot be fetched,
     * so the hart takes instruction access faults forever without retiring an instruction. No instruction limit ends
     * that (none retires); the run loop stops the guest as stuck, as a failure, long before the timeout.
     */
    @Test
    void aHartStuckInATrapLoopEndsTheRunAsAGuestFailure(@TempDir Path directory) throws IOException {
        Path program = directory.resolve("trap-loop.bin");
        ByteBuffer code = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        code.putInt(0x0000_12b7); // lui t0, 0x1
        code.putInt(0x3052_9073); // csrw mtvec, t0
        code.putInt(0x0000_3503); // ld a0, 0(zero)
        Files.write(program, code.array());

        ExperimentResult result = Experiment.builder().firmware("none").kernel(program.toString())
                .maxInstructions(1000).timeout(Duration.ofSeconds(60)).build().run();

        assertThat(result.outcome().status()).isEqualTo(GuestOutcome.Status.GUEST_FAILED);
        assertThat(result.outcome().message()).matches("hart 0 is stuck: 1[0-9]{6} traps in a row without retiring an "
                + "instruction .*");
    }
}
