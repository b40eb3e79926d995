package io.vmmlab.runtime.bootstrap;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.api.spi.BoardRequirement;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.board.BoardBuilder;
import io.vmmlab.runtime.board.GuestHarts;
import io.vmmlab.runtime.discovery.PluginFailure;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.run.ExitProfile;
import io.vmmlab.runtime.run.RunLimits;
import io.vmmlab.runtime.run.ExecutionControl;
import io.vmmlab.runtime.run.RunLoop;
import io.vmmlab.runtime.run.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds and runs one VM: picks the strategy by name, fits the board to its requirements, assembles the board,
 * wires one Guice injector from the core module and the strategy's module, and runs the hypervisor's loop.
 */
public final class VmmBootstrap {
    private static final Logger log = LoggerFactory.getLogger(VmmBootstrap.class);

    private final Plugins plugins;
    private final CostModel costModel;

    /**
     * Creates the bootstrap.
     *
     * @param plugins the installed plugins
     * @param costModel how to price the run
     */
    public VmmBootstrap(Plugins plugins, CostModel costModel) {
        this.plugins = plugins;
        this.costModel = costModel;
    }

    /**
     * Runs a VM to its end.
     *
     * @param spec the VM
     * @param console the guest console's host side
     * @param quitRequested tells whether the user asked to quit
     * @return the result
     * @throws IllegalArgumentException for anything wrong in the spec (unknown names, images, sizes)
     */
    public RunResult run(VmSpec spec, HostConsole console, BooleanSupplier quitRequested) {
        return run(spec, console, quitRequested, Optional.empty());
    }

    /**
     * Runs a VM to its end, counting its exits by guest instruction and reason.
     *
     * @param spec the VM
     * @param console the guest console's host side
     * @param quitRequested tells whether the user asked to quit
     * @param profile where the run loop counts every exit, if anywhere (see {@link ExitProfile})
     * @return the result
     * @throws IllegalArgumentException for anything wrong in the spec (unknown names, images, sizes)
     */
    public RunResult run(VmSpec spec, HostConsole console, BooleanSupplier quitRequested,
                         Optional<ExitProfile> profile) {
        return run(spec, console, quitRequested, profile, ExecutionControl.NONE);
    }

    /**
     * Runs a VM as {@link #run(VmSpec, HostConsole, BooleanSupplier, Optional)} does, under a control that may hold
     * the run or single-step its harts (a debugger's, {@code io.vmmlab.runtime.debug.GdbServer}).
     *
     * @param spec what to run
     * @param console the guest console's host side
     * @param quitRequested tells whether the user asked to quit
     * @param profile where to count the VMM's entries by guest instruction, if anywhere
     * @param control what may hold the run, or {@link ExecutionControl#NONE}
     * @return the outcome and the counters
     */
    public RunResult run(VmSpec spec, HostConsole console, BooleanSupplier quitRequested,
                         Optional<ExitProfile> profile, ExecutionControl control) {
        ResolvedVm vm = resolve(spec);
        VirtualizationStrategyProvider provider = vm.provider();
        VmSpec resolved = vm.spec();
        String technique = resolved.technique().orElse("");
        long start;
        GuestOutcome outcome;
        BoardBuilder.AssembledBoard board = vm.assemble(plugins, console);
        try (board) {
            VmmEntries entries = profile.<VmmEntries>map(exits -> exits).orElse(VmmEntries.none());
            Hypervisor hypervisor = hypervisor(provider, resolved, board, console, entries);
            RunLimits limits = new RunLimits(spec.maxInstructions(), spec.timeout());
            start = System.nanoTime();
            profile.ifPresent(exits -> exits.meter(board.machine().counters()));
            mayRefuse(() -> {
                hypervisor.start(board.machine(), board.boot());
                return hypervisor;
            }, cause -> StrategyFailure.running(provider, cause));
            try {
                outcome = new RunLoop(board.machine(), hypervisor, board.deterministicTime(), limits, quitRequested,
                        profile).controlledBy(control).run();
            } catch (PluginFailure e) { // a device's own bug, named
                throw e;
            } catch (RuntimeException | LinkageError | AssertionError e) { // an IllegalArgumentException too
                throw StrategyFailure.running(provider, e);
            }
        }
        long wall = System.nanoTime() - start;
        String name = technique.isEmpty() ? provider.name() : provider.name() + "/" + technique;
        return new RunResult(name, outcome, board.machine().instructionsRetired(), wall,
                board.machine().counters().snapshot());
    }

    /**
     * Builds the VM's board as {@link #run} would and returns the flattened device tree its guest would be given
     * (QEMU's {@code -machine dumpdtb}), without running anything.
     *
     * @param spec the VM
     * @param console the guest console's host side (devices attach to it; nothing is written)
     * @return the device tree blob
     * @throws IllegalArgumentException for anything wrong in the spec, as {@link #run} does
     */
    public byte[] deviceTree(VmSpec spec, HostConsole console) {
        try (BoardBuilder.AssembledBoard board = resolve(spec).assemble(plugins, console)) {
            AddressRange tree = board.boot().deviceTree();
            byte[] blob = new byte[Math.toIntExact(tree.size())];
            board.machine().memory().read(tree.base(), blob, 0, blob.length);
            return blob;
        }
    }

    /** Picks the strategy and fits the VM to it: its default technique filled in, the harts' ISA. */
    private ResolvedVm resolve(VmSpec spec) {
        VirtualizationStrategyProvider provider = plugins.strategies().require(spec.strategy());
        String technique = technique(provider, ask(provider, "techniques()", provider::techniques), spec);
        log.info("Registering virtualization strategy {}", provider.name());
        Set<BoardRequirement> requirements = ask(provider, "requirements()", provider::requirements);
        IsaSpec isa = fitIsa(spec.isa(), requirements);
        VmSpec resolved = spec.withTechnique(technique.isEmpty() ? Optional.empty() : Optional.of(technique))
                .withIsa(isa);
        long vmmMemoryBytes = ask(provider, "vmmMemoryBytes()", () -> provider.vmmMemoryBytes(resolved));
        AddressTranslation guestTranslation = ask(provider, "guestTranslation()",
                () -> provider.guestTranslation(resolved.translation()));
        GuestHarts guestHarts = new GuestHarts(guestIsa(isa, requirements),
                resolved.translation().atMost(guestTranslation));
        return new ResolvedVm(provider, resolved, guestHarts, vmmMemoryBytes);
    }

    /** A VM fitted to its strategy, ready to assemble. */
    private record ResolvedVm(VirtualizationStrategyProvider provider, VmSpec spec, GuestHarts guestHarts,
                              long vmmMemoryBytes) {
        BoardBuilder.AssembledBoard assemble(Plugins plugins, HostConsole console) {
            return new BoardBuilder(plugins).build(spec, spec.isa(), guestHarts, vmmMemoryBytes, console);
        }
    }

    private Hypervisor hypervisor(VirtualizationStrategyProvider provider, VmSpec spec,
            BoardBuilder.AssembledBoard board, HostConsole console, VmmEntries entries) {
        Module module = mayRefuse(() -> Objects.requireNonNull(provider.module(spec), "module() returned null"),
                cause -> StrategyFailure.module(provider, cause));
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    new CoreModule(spec, board.machine(), costModel, console, entries), module);
            return injector.getInstance(Hypervisor.class);
        } catch (CreationException e) {
            throw StrategyFailure.wiring(provider, e.getErrorMessages(), e);
        } catch (ConfigurationException e) {
            throw StrategyFailure.wiring(provider, e.getErrorMessages(), e);
        } catch (ProvisionException e) {
            throw StrategyFailure.provision(provider, e.getErrorMessages(), e);
        }
    }

    /**
     * Runs strategy code that may refuse the VM as the user gave it ({@code module()}, {@code start()}): an
     * {@link IllegalArgumentException} is that refusal (exit 2), unless it is a {@link NumberFormatException}, the
     * strategy's own parsing; a device's failure during it stays the device's; anything else is the strategy's.
     */
    private static <T> T mayRefuse(Supplier<T> code, Function<Throwable, StrategyFailure> failure) {
        try {
            return code.get();
        } catch (NumberFormatException e) {
            throw failure.apply(e);
        } catch (IllegalArgumentException | PluginFailure e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw failure.apply(e);
        }
    }

    /** Asks the strategy something about itself: what its code throws is its own failure, named. */
    private static <T> T ask(VirtualizationStrategyProvider provider, String method, Supplier<T> question) {
        try {
            return Objects.requireNonNull(question.get(), () -> method + " returned null");
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw StrategyFailure.threw(provider, method, e);
        }
    }

    private static String technique(VirtualizationStrategyProvider provider, List<String> techniques, VmSpec spec) {
        if (techniques.isEmpty()) {
            if (spec.technique().isPresent()) {
                throw new IllegalArgumentException(String.format("strategy %s has no techniques; drop --technique",
                        provider.name()));
            }
            return "";
        }
        String technique = spec.technique().orElse(techniques.get(0));
        unknownTechnique(provider, technique).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        return technique;
    }

    /**
     * Says why a strategy cannot run with a technique, if it cannot: it does not have it.
     *
     * @param provider the strategy
     * @param technique the technique asked for
     * @return {@code unknown technique 'T' for strategy S; available: ...}, or empty when the strategy has it
     */
    public static Optional<String> unknownTechnique(VirtualizationStrategyProvider provider, String technique) {
        if (provider.techniques().contains(technique)) {
            return Optional.empty();
        }
        return Optional.of(String.format("unknown technique '%s' for strategy %s; available: %s", technique,
                provider.name(), provider.techniques().isEmpty() ? "none" : String.join(", ", provider.techniques())));
    }

    /**
     * Adds or removes the H extension as the strategy requires.
     *
     * @param isa the user's ISA
     * @param requirements the strategy's requirements
     * @return the ISA the harts get
     */
    static IsaSpec fitIsa(IsaSpec isa, Set<BoardRequirement> requirements) {
        if (requirements.contains(BoardRequirement.HYPERVISOR_EXTENSION) && !isa.has('h')) {
            return new IsaSpec(isa.xlen(), isa.singleLetter() + "h", new TreeSet<>(isa.multiLetter()));
        }
        if (requirements.contains(BoardRequirement.NO_HYPERVISOR_EXTENSION)) {
            return withoutHypervisorExtension(isa);
        }
        return new IsaSpec(isa.xlen(), isa.singleLetter(), new TreeSet<>(isa.multiLetter()));
    }

    /**
     * The ISA the guest is told about: a strategy that needs the H extension keeps it for the VMM (no nested
     * virtualization), so the guest's device tree does not list it.
     *
     * @param isa the ISA the harts get
     * @param requirements the strategy's requirements
     * @return the ISA for the guest's device tree
     */
    static IsaSpec guestIsa(IsaSpec isa, Set<BoardRequirement> requirements) {
        return requirements.contains(BoardRequirement.HYPERVISOR_EXTENSION) ? withoutHypervisorExtension(isa) : isa;
    }

    private static IsaSpec withoutHypervisorExtension(IsaSpec isa) {
        return new IsaSpec(isa.xlen(), isa.singleLetter().replace("h", ""), new TreeSet<>(isa.multiLetter()));
    }
}
