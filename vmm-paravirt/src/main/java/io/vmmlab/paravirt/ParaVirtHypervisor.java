package io.vmmlab.paravirt;

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
import io.vmmlab.paravirt.events.EventChannel;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.events.VirtualTimer;
import io.vmmlab.paravirt.hypercall.ControlHypercalls;
import io.vmmlab.paravirt.hypercall.GuestPointers;
import io.vmmlab.paravirt.hypercall.Hypercall;
import io.vmmlab.paravirt.hypercall.HypercallDispatcher;
import io.vmmlab.paravirt.hypercall.HypercallOutcome;
import io.vmmlab.paravirt.hypercall.IoHypercalls;
import io.vmmlab.paravirt.hypercall.MemoryHypercalls;
import io.vmmlab.paravirt.hypercall.PvError;
import io.vmmlab.paravirt.hypercall.TimeHypercalls;
import io.vmmlab.paravirt.paging.BootAddressSpace;
import io.vmmlab.paravirt.paging.PageTableRegistry;
import io.vmmlab.paravirt.paging.PageTableValidator;
import io.vmmlab.paravirt.paging.RootLoads;
import io.vmmlab.paravirt.paging.UserViewRoots;
import io.vmmlab.paravirt.paging.VmmPageAllocator;
import io.vmmlab.paravirt.vcpu.TrapBouncer;
import io.vmmlab.paravirt.vcpu.VirtualCpu;
import io.vmmlab.paravirt.vcpu.VirtualMode;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The Xen-style VMM. The PV guest kernel runs in physical U-mode on its own, validated page tables; the VMM owns
 * M-mode with nothing delegated, so every trap exits here: a guest-kernel {@code ecall} is a hypercall
 * (PV-ABI.md), a guest-user trap is bounced to the kernel's registered vector, the machine timer and device
 * interrupts become events in the shared page, delivered when the guest has them unmasked. One hart runs the
 * guest; the others stay off.
 */
public final class ParaVirtHypervisor implements Hypervisor {
    /** The PV guest has no CSRs of its own (its state is in the shared page): a debugger writes none. */
    @Override
    public boolean setGuestCsr(Hart hart, int csr, long value) {
        return false;
    }

    private static final long MSTATUS_FS_INITIAL = 1L << 13;
    private static final Logger log = LoggerFactory.getLogger(ParaVirtHypervisor.class);
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final long NOT_BLOCKED = -1;

    private final HostConsole console;
    private final Counters counters;
    private final Map<String, Counter> exitCounters = new HashMap<>();
    private Machine machine;
    private VirtualCpu cpu;
    private SharedInfoPage sharedPage;
    private EventChannel events;
    private VirtualTimer timer;
    private TrapBouncer bouncer;
    private HypercallDispatcher dispatcher;
    /** The pc of the BLOCK hypercall the vCPU waits in (it runs again each round until an event), or none. */
    private long blockedAt = NOT_BLOCKED;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param console the guest console
     * @param counters where exits, hypercalls and events are counted
     */
    @Inject
    public ParaVirtHypervisor(HostConsole console, Counters counters) {
        this.console = requireNonNull(console, "console is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        this.machine = requireNonNull(board, "board is null");
        if (boot.entryMode() != PrivilegeMode.SUPERVISOR || boot.kernel().isEmpty()) { // as fullvirt and hwassist
            throw new IllegalArgumentException(
                    "paravirt runs a PV kernel (--kernel, --bios builtin), such as bundled:kernel-pv");
        }
        Optional<AddressRange> vmmRegion = board.vmmMemory();
        if (vmmRegion.isEmpty()) {
            throw new IllegalStateException("paravirt needs VMM memory for its boot tables and shared pages");
        }
        AddressRange guestRam = board.memory().range();
        VmmPageAllocator allocator = new VmmPageAllocator(board.physicalMemory(), vmmRegion.get());
        BootAddressSpace bootSpace = BootAddressSpace.build(allocator, guestRam);
        PageTableRegistry registry = new PageTableRegistry(guestRam);
        UserViewRoots userViews = new UserViewRoots(allocator);
        PageTableValidator validator = new PageTableValidator(board.memory(), registry, userViews, bootSpace);
        try {
            board.addDmaWriteListener(validator::deviceWrote);
        } catch (UnsupportedOperationException e) {
            log.warn("This board does not report DMA writes: a device write into a pinned page table goes unchecked");
        }
        sharedPage = new SharedInfoPage(board.memory());
        events = new EventChannel(sharedPage);
        timer = new VirtualTimer(board.mmio(), events);
        cpu = new VirtualCpu(bootSpace.root(), userViews, new RootLoads(counters));
        bouncer = new TrapBouncer(cpu, sharedPage, events);
        GuestPointers pointers = new GuestPointers(guestRam);
        dispatcher = new HypercallDispatcher(List.of(
                new ControlHypercalls(board, pointers, cpu, sharedPage, events, registry, validator),
                new MemoryHypercalls(board.memory(), pointers, cpu, registry, validator, counters),
                new TimeHypercalls(board.time(), timer),
                new IoHypercalls(board, console, pointers)), counters);
        exitCounter(TrapCause.exceptionName(TrapCause.ILLEGAL_INSTRUCTION));

        Hart hart = board.harts().get(0);
        hart.reset(boot.entry());
        hart.writeCsr(CsrNumbers.MEDELEG, 0);
        hart.writeCsr(CsrNumbers.MIDELEG, 0);
        hart.writeCsr(CsrNumbers.MCOUNTEREN, 0);
        hart.writeCsr(CsrNumbers.MIE, ControlHypercalls.MIE_SEIE);
        hart.writeCsr(CsrNumbers.SATP, cpu.kernelSatp());
        if (hart.isa().has('f')) {
            // PV-ABI.md: floating point is always on (FS Initial; the ABI has no FS); the guest kernel saves f
            // registers itself, the VMM keeps no floating-point state.
            hart.writeCsr(CsrNumbers.MSTATUS, hart.readCsr(CsrNumbers.MSTATUS) | MSTATUS_FS_INITIAL);
        }
        hart.setRegister(A0, hart.hartId());
        hart.setRegister(A1, boot.deviceTree().base());
        hart.setPrivilege(PrivilegeMode.USER, false);
        hart.setTrapInterception(TrapInterception.MACHINE);
        log.info("Paravirtualized guest starts at 0x{} in physical U-mode, boot address space at 0x{}",
                Long.toHexString(boot.entry()), Long.toHexString(bootSpace.root()));
    }

    @Override
    public boolean isRunnable(Hart hart) {
        return dispatcher != null && hart.hartId() == 0;
    }

    /** A PV hypercall by its name in the ABI. */
    @Override
    public Optional<String> ecallName(long a7) {
        return Optional.ofNullable(Hypercall.fromA7(a7)).map(call -> "hypercall " + call.reportName());
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        if (dispatcher == null) {
            return ExitAction.STOP;
        }
        return switch (exit) {
            case WAIT_FOR_INTERRUPT -> ExitAction.WAIT_FOR_INTERRUPT;
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> afterExit(hart);
            case TRAP -> handleTrap(hart, hart.pendingTrap());
        };
    }

    private ExitAction handleTrap(Hart hart, PendingTrap trap) {
        if (trap.isInterrupt()) {
            return interrupt(hart, trap.code());
        }
        if (trap.fromMode() != PrivilegeMode.USER) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.INTERNAL_ERROR, String.format(
                    "paravirt: trap from %s-mode at pc 0x%x", trap.fromMode(), trap.pc())));
            return ExitAction.STOP;
        }
        String name = TrapCause.exceptionName(trap.code());
        if (cpu.mode() == VirtualMode.USER) {
            exitCounter("bounce", name, CostCategory.TRAP_ROUND_TRIP).increment();
            bouncer.bounce(hart, trap.cause(), trap.tval(), trap.pc());
            return afterExit(hart);
        }
        if (trap.code() == TrapCause.ECALL_FROM_USER) {
            HypercallOutcome outcome = dispatcher.dispatch(hart);
            return switch (outcome.kind()) {
                case RETURN, RESUMED -> afterExit(hart);
                case BLOCKED -> {
                    blockedAt = hart.pc();
                    yield ExitAction.WAIT_FOR_INTERRUPT;
                }
                case STOPPED -> ExitAction.STOP;
            };
        }
        exitCounter(name).increment();
        if (!bouncer.ready() || cpu.handlingKernelException()) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, String.format(
                    "paravirt guest kernel: unhandled %s at pc 0x%x (tval 0x%x)", name, trap.pc(), trap.tval())));
            return ExitAction.STOP;
        }
        cpu.setHandlingKernelException(true);
        bouncer.bounce(hart, trap.cause(), trap.tval(), trap.pc());
        return afterExit(hart);
    }

    private ExitAction interrupt(Hart hart, int code) {
        exitCounter(TrapCause.interruptName(code)).increment();
        if (code == TrapCause.MACHINE_TIMER_INTERRUPT) {
            timer.fired(hart);
        } else if (code == TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT) {
            // Level-triggered: stop listening until the guest has handled it (re-armed by IRET).
            hart.writeCsr(CsrNumbers.MIE, hart.readCsr(CsrNumbers.MIE) & ~ControlHypercalls.MIE_SEIE);
            events.raise(EventChannel.EXTERNAL);
        } else {
            hart.writeCsr(CsrNumbers.MIE, hart.readCsr(CsrNumbers.MIE) & ~(1L << code));
        }
        return afterExit(hart);
    }

    private ExitAction afterExit(Hart hart) {
        if (machine.outcome().isPresent()) {
            return ExitAction.STOP;
        }
        sharedPage.write(SharedInfoPage.TIME, machine.time().now());
        events.mirror(); // events_pending is the VMM's: a guest store there lasts until the next exit
        long pc = hart.pc();
        // An event that ends the BLOCK the hart waits in completes the hypercall first (it returns 0), so that the
        // handler's IRET goes on past it, as a native kernel's WFI ends before its interrupt is taken (re-executing
        // the BLOCK would wait again, for an event the handler has just consumed). Without one, it still waits there.
        boolean endsBlock = pc == blockedAt && bouncer.canDeliver();
        if (pc != blockedAt || endsBlock) {
            blockedAt = NOT_BLOCKED;
        }
        if (endsBlock) {
            hart.setRegister(A0, PvError.OK);
            hart.setRegister(A1, 0);
        }
        int event = bouncer.deliverPendingEvent(hart, endsBlock ? pc + 4 : pc);
        if (event >= 0) {
            exitCounter("upcall", event == EventChannel.TIMER ? "timer" : "device", CostCategory.NONE).increment();
        }
        return ExitAction.RESUME;
    }

    private Counter exitCounter(String reason) {
        return exitCounter("exit", reason, CostCategory.TRAP_ROUND_TRIP);
    }

    private Counter exitCounter(String group, String reason, CostCategory category) {
        return exitCounters.computeIfAbsent(group + "." + reason, key -> counters.counter(group, reason, category));
    }
}
