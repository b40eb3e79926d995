package io.vmmlab.runtime.compare;

import com.google.inject.Module;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.experiment.ExperimentResult;
import io.vmmlab.runtime.experiment.WorkloadResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategy providers for comparison tests (public so ServiceLoader can create them), plugins that list them
 * next to the built-in native one, and a fake run that makes up counters from the experiment's description.
 */
final class FakeStrategies {
    static final CostModel MODEL = new CostModel("test-model", "made up", Map.of(CostCategory.INSTRUCTION, 1.0,
            CostCategory.TRAP_ROUND_TRIP, 100.0, CostCategory.HYPERCALL, 10.0));

    private FakeStrategies() {
    }

    /** A strategy with two techniques, like full virtualization. */
    public static final class TwoTechniques implements VirtualizationStrategyProvider {
        @Override
        public String name() {
            return "twotech";
        }

        @Override
        public String description() {
            return "test strategy with techniques trap and bt";
        }

        @Override
        public List<String> techniques() {
            return List.of("trap", "bt");
        }

        @Override
        public Module module(VmSpec spec) {
            throw new UnsupportedOperationException("tests never run it");
        }
    }

    /** A strategy that needs a paravirtualized guest. */
    public static final class NeedsPvGuest implements VirtualizationStrategyProvider {
        @Override
        public String name() {
            return "pvfake";
        }

        @Override
        public String description() {
            return "test strategy that needs the PV kernel";
        }

        @Override
        public Set<BoardRequirement> requirements() {
            return Set.of(BoardRequirement.PARAVIRTUALIZED_GUEST);
        }

        @Override
        public Module module(VmSpec spec) {
            throw new UnsupportedOperationException("tests never run it");
        }
    }

    /** The class path's plugins (the built-in native strategy) plus the two fakes. */
    static Plugins plugins(Path directory) {
        try {
            Path services = Files.createDirectories(directory.resolve("META-INF/services"));
            Files.writeString(services.resolve(VirtualizationStrategyProvider.class.getName()),
                    TwoTechniques.class.getName() + "\n" + NeedsPvGuest.class.getName() + "\n");
            URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()},
                    FakeStrategies.class.getClassLoader());
            return Plugins.discover(loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A made-up run: 400,000 instructions to boot, else instructions grow with the strategy's overhead factor;
     * one trap round trip per 1,000 instructions under twotech, one hypercall per 1,000 under pvfake; one translation
     * (unpriced) per 10,000 under twotech; the console has a passing RESULT line.
     */
    static ExperimentResult fakeRun(Experiment experiment) {
        VmSpec spec = experiment.spec();
        String workload = spec.append().replaceFirst("^(?:.* )?workloads=([a-z0-9_]*).*$", "$1");
        boolean fixedPartOnly = workload.isEmpty() || spec.append().contains(" " + workload + "=0 ");
        long instructions = fixedPartOnly ? 400_000 : switch (spec.strategy()) {
            case "twotech" -> 2_000_000;
            case "pvfake" -> 1_500_000;
            default -> 1_000_000;
        };
        CounterSnapshot counters = new CounterSnapshot(Map.of(
                new CounterKey("hart", "instructions", CostCategory.INSTRUCTION), instructions,
                new CounterKey("trap-emulate", "sret", CostCategory.TRAP_ROUND_TRIP),
                spec.strategy().equals("twotech") ? instructions / 1000 : 0L,
                new CounterKey("hypercall", "yield", CostCategory.HYPERCALL),
                spec.strategy().equals("pvfake") ? instructions / 1000 : 0L,
                new CounterKey("translator", "blocks", CostCategory.TRANSLATION),
                spec.strategy().equals("twotech") ? instructions / 10_000 : 0L));
        String console = workload.isEmpty() ? "SUITE done results=0 failed=0\n"
                : "RESULT name=" + workload + " iters=1 check=ok\nSUITE done results=1 failed=0\n";
        return new ExperimentResult(spec.strategy() + spec.technique().map(name -> "/" + name).orElse(""),
                new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "guest powered off"), instructions,
                instructions * 10, counters, experiment.costModel(), console, WorkloadResult.parseAll(console));
    }
}
