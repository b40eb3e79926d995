package io.vmmlab.examples.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class SystemCallExperimentTest {

    @Test
    void eachStrategyPaysForASystemCallTheWayItsTechniqueSays() {
        List<SystemCallExperiment.PerCall> calls = SystemCallExperiment.measure(1000);
        Map<String, SystemCallExperiment.PerCall> byStrategy = calls.stream()
                .collect(Collectors.toMap(SystemCallExperiment.PerCall::strategy, Function.identity()));

        assertThat(byStrategy).containsOnlyKeys("native", "fullvirt/trap", "paravirt");
        // natively a system call is one trap taken inside the guest; the only trips to firmware are timer calls
        assertThat(byStrategy.get("native").guestTraps()).isCloseTo(1.0, within(0.02));
        assertThat(byStrategy.get("native").trapRoundTrips()).isLessThan(0.02);
        // trap-and-emulate: the trap goes to the VMM, and the kernel's privileged instructions on the way trap too
        assertThat(byStrategy.get("fullvirt/trap").trapRoundTrips()).isGreaterThan(5.0);
        // paravirtualization: the trap is bounced and the return is a hypercall
        assertThat(byStrategy.get("paravirt").hypercalls()).isGreaterThanOrEqualTo(1.0);
        assertThat(byStrategy.get("fullvirt/trap").pentium4Cycles())
                .isGreaterThan(byStrategy.get("paravirt").pentium4Cycles())
                .isGreaterThan(byStrategy.get("native").pentium4Cycles());
        assertThat(byStrategy.get("fullvirt/trap").riscvCycles())
                .isLessThan(byStrategy.get("fullvirt/trap").pentium4Cycles());
    }
}
