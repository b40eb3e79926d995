package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiExtensionNames;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.fullvirt.emulate.CsrEmulator;
import io.vmmlab.fullvirt.emulate.PrivilegedInstructionEmulator;
import io.vmmlab.fullvirt.mmio.GuestMemoryFaultHandler;
import io.vmmlab.fullvirt.mmio.MmioEmulator;
import io.vmmlab.fullvirt.sbi.FullVirtSbiPlatform;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker;
import io.vmmlab.fullvirt.shadow.ShadowFrameAllocator;
import io.vmmlab.fullvirt.shadow.ShadowMmu;
import io.vmmlab.fullvirt.vcpu.HostHartBinding;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;
import io.vmmlab.fullvirt.vcpu.VirtualTimer;
import io.vmmlab.fullvirt.vcpu.VirtualTrapInjector;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Full virtualization by trap-and-emulate on a board without the H extension: the unmodified guest kernel runs in
 * the hart's U-mode on shadow page tables; every trap goes to M-mode (medeleg = mideleg = 0) and therefore to this
 * VMM, which emulates privileged instructions on the guest's virtual supervisor state, fills shadow tables, traces
 * guest page-table writes, emulates device accesses, answers SBI calls and reflects everything else into the guest
 * kernel as a virtual trap.
 */
public final class FullVirtHypervisor implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(FullVirtHypervisor.class);
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int A6 = 16;
    private static final int A7 = 17;

    private final SupervisorBinaryInterface sbi;
    private final HostConsole console;
    private final Counters counters;
    private final Map<Long, Counter> sbiCounters = new HashMap<>();
    private final Map<Integer, Counter> reflected = new HashMap<>();
    private final Map<Integer, Counter> exits = new HashMap<>();
    private Machine machine;
    private VirtualSupervisorState[] states;
    private VirtualTimer timer;
    private VirtualTrapInjector injector;
    private ShadowMmu shadow;
    private PrivilegedInstructionEmulator privileged;
    private GuestMemoryFaultHandler memoryFaults;
    private HostHartBinding binding;
    private FullVirtSbiPlatform platform;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param sbi the built-in SBI implementation offered to the guest
     * @param console the guest console
     * @param counters where to count
     */
    @Inject
    public FullVirtHypervisor(SupervisorBinaryInterface sbi, HostConsole console, Counters counters) {
        this.sbi = sbi;
        this.console = console;
        this.counters = counters;
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        if (boot.entryMode() != PrivilegeMode.SUPERVISOR) {
            throw new IllegalArgumentException("fullvirt runs a supervisor-mode kernel on the VMM's own SBI; "
                    + "use --bios builtin with a kernel");
        }
        AddressRange vmmRegion = board.vmmMemory().orElseThrow(() ->
                new IllegalStateException("fullvirt needs VMM memory for its shadow page tables"));
        this.machine = board;
        int harts = board.harts().size();
        states = new VirtualSupervisorState[harts];
        for (int i = 0; i < harts; i++) {
            states[i] = new VirtualSupervisorState();
        }
        timer = new VirtualTimer(board.mmio());
        injector = new VirtualTrapInjector();
        shadow = new ShadowMmu(board.physicalMemory(), board.memory(), board.mmio(),
                new ShadowFrameAllocator(board.physicalMemory(), vmmRegion), harts, counters);
        boolean sstc = board.harts().get(0).isa().has("sstc");
        privileged = new PrivilegedInstructionEmulator(new CsrEmulator(timer, sstc), injector, counters);
        memoryFaults = new GuestMemoryFaultHandler(shadow, new MmioEmulator(board.mmio(), counters), board.memory());
        binding = new HostHartBinding(shadow, injector, board.harts(), states, counters);
        platform = new FullVirtSbiPlatform(board, console, states, timer, this::launch);
        log.info("fullvirt/trap: guest kernel deprivileged to U-mode, shadow tables in {}", vmmRegion);
        launch(0, boot.entry(), boot.deviceTree().base());
        platform.markStarted(0);
    }

    private void launch(int hartId, long entry, long argument) {
        Hart hart = machine.harts().get(hartId);
        hart.reset(entry);
        hart.writeCsr(CsrNumbers.MEDELEG, 0);
        hart.writeCsr(CsrNumbers.MIDELEG, 0);
        hart.writeCsr(CsrNumbers.MCOUNTEREN, 0xffff_ffffL);
        hart.writeCsr(CsrNumbers.MIE, 0);
        hart.setRegister(A0, hartId);
        hart.setRegister(A1, argument);
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.setTrapInterception(TrapInterception.MACHINE);
        states[hartId].reset();
        binding.prepare(hart);
    }

    @Override
    public boolean isRunnable(Hart hart) {
        return platform == null || platform.isStarted(hart.hartId());
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        ExitAction action = switch (exit) {
            case WAIT_FOR_INTERRUPT -> ExitAction.WAIT_FOR_INTERRUPT;
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> ExitAction.RESUME;
            case TRAP -> handleTrap(hart, hart.pendingTrap());
        };
        if (machine.outcome().isPresent()) {
            return ExitAction.STOP;
        }
        if (action != ExitAction.STOP) {
            binding.prepare(hart);
        }
        return action;
    }

    private ExitAction handleTrap(Hart hart, PendingTrap trap) {
        VirtualSupervisorState state = states[hart.hartId()];
        if (trap.isInterrupt()) {
            return handleInterrupt(hart, state, trap);
        }
        switch (trap.code()) {
            case TrapCause.ILLEGAL_INSTRUCTION -> {
                if (!state.supervisor()) {
                    return reflect(hart, state, trap);
                }
                PrivilegedInstructionEmulator.Outcome outcome = privileged.emulate(hart, state, (int) trap.tval(),
                        HostHartBinding.externalPending(hart));
                return switch (outcome) {
                    case EMULATED -> ExitAction.RESUME;
                    case WAIT -> ExitAction.WAIT_FOR_INTERRUPT;
                    case ILLEGAL -> reflect(hart, state, trap);
                };
            }
            case TrapCause.ECALL_FROM_USER -> {
                return state.supervisor() ? sbiCall(hart) : reflect(hart, state, trap);
            }
            case TrapCause.INSTRUCTION_PAGE_FAULT -> {
                return pageFault(hart, state, trap, GuestPageTableWalker.FETCH);
            }
            case TrapCause.LOAD_PAGE_FAULT -> {
                return pageFault(hart, state, trap, GuestPageTableWalker.LOAD);
            }
            case TrapCause.STORE_PAGE_FAULT -> {
                return pageFault(hart, state, trap, GuestPageTableWalker.STORE);
            }
            default -> {
                return reflect(hart, state, trap);
            }
        }
    }

    private ExitAction handleInterrupt(Hart hart, VirtualSupervisorState state, PendingTrap trap) {
        countExit(trap.code());
        switch (trap.code()) {
            case TrapCause.MACHINE_TIMER_INTERRUPT -> timer.fired(hart, state);
            case TrapCause.MACHINE_SOFTWARE_INTERRUPT -> platform.acknowledgeSoftwareInterrupt(hart);
            case TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT, TrapCause.MACHINE_EXTERNAL_INTERRUPT -> {
                // Level-triggered: HostHartBinding injects it if the guest has it enabled, else masks it.
            }
            default -> {
                machine.stop(new GuestOutcome(GuestOutcome.Status.INTERNAL_ERROR, String.format(
                        "unexpected %s interrupt at pc 0x%x", TrapCause.interruptName(trap.code()), trap.pc())));
                return ExitAction.STOP;
            }
        }
        return ExitAction.RESUME;
    }

    private ExitAction pageFault(Hart hart, VirtualSupervisorState state, PendingTrap trap, int access) {
        int cause = memoryFaults.handle(hart, state, access, trap.tval());
        if (cause < 0) {
            return ExitAction.RESUME;
        }
        countReflected(cause);
        injector.enterTrap(hart, state, cause, trap.tval(), trap.pc());
        return ExitAction.RESUME;
    }

    private ExitAction reflect(Hart hart, VirtualSupervisorState state, PendingTrap trap) {
        countReflected(trap.code());
        injector.enterTrap(hart, state, trap.code(), trap.tval(), trap.pc());
        return ExitAction.RESUME;
    }

    private ExitAction sbiCall(Hart hart) {
        long extension = hart.register(A7);
        SbiCall call = new SbiCall(hart.hartId(), extension, hart.register(A6), hart.register(A0), hart.register(A1),
                hart.register(12), hart.register(13), hart.register(14), hart.register(15));
        sbiCounters.computeIfAbsent(extension, id -> counters.counter("sbi", SbiExtensionNames.of(id),
                CostCategory.TRAP_ROUND_TRIP)).increment();
        SbiResult result = sbi.call(call, platform);
        hart.setRegister(A0, result.error());
        if (!SupervisorBinaryInterface.isLegacy(extension)) {
            hart.setRegister(A1, result.value());
        }
        hart.setPc(hart.pc() + 4);
        return ExitAction.RESUME;
    }

    private void countReflected(int cause) {
        reflected.computeIfAbsent(cause, code -> counters.counter("reflect", TrapCause.exceptionName(code),
                CostCategory.TRAP_ROUND_TRIP)).increment();
    }

    private void countExit(int code) {
        exits.computeIfAbsent(code, key -> counters.counter("exit", TrapCause.interruptName(key),
                CostCategory.TRAP_ROUND_TRIP)).increment();
    }
}
