package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.WaitingHarts;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.hwassist.exit.ExitCounters;
import io.vmmlab.hwassist.exit.GuestInstructionReader;
import io.vmmlab.hwassist.exit.GuestPageFaultHandler;
import io.vmmlab.hwassist.exit.VirtualInstructionHandler;
import io.vmmlab.hwassist.gstage.GStageModeProbe;
import io.vmmlab.hwassist.gstage.GStageTables;
import io.vmmlab.hwassist.sbi.HwAssistSbiPlatform;
import io.vmmlab.hwassist.sbi.SbiCallHandler;
import io.vmmlab.hwassist.vcpu.GuestEntry;
import io.vmmlab.hwassist.vcpu.VirtualInterrupts;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hardware-assisted virtualization on the H extension (VT-x style): the VMM is the HS-mode software. The
 * unmodified guest kernel runs in VS-mode (its processes in VU-mode) on two-stage translation through G-stage
 * tables the VMM built in its private RAM; its own exceptions and interrupts are delegated and never exit. What
 * exits is handled here: SBI calls (ecall from VS), guest-page faults (device emulation, or an access fault for
 * the guest), virtual instructions (WFI under hstatus.VTW, else an illegal instruction for the guest), and the
 * machine timer and supervisor external interrupts, turned into the guest's interrupts through hvip.
 */
public final class HwAssistHypervisor implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(HwAssistHypervisor.class);
    private static final int VMID = 1;

    private final SupervisorBinaryInterface sbi;
    private final HostConsole console;
    private final Counters counters;
    private final ExitCounters exits;
    private Machine machine;
    private VirtualInterrupts interrupts;
    private WaitingHarts waiting;
    private HwAssistSbiPlatform platform;
    private SbiCallHandler sbiCalls;
    private GuestPageFaultHandler guestPageFaults;
    private VirtualInstructionHandler virtualInstructions;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param sbi the built-in SBI implementation offered to the guest
     * @param console the guest console
     * @param counters where to count
     */
    @Inject
    public HwAssistHypervisor(SupervisorBinaryInterface sbi, HostConsole console, Counters counters) {
        this.sbi = sbi;
        this.console = console;
        this.counters = counters;
        this.exits = new ExitCounters(counters);
    }

    @Override
    public void start(Machine board, BootInfo boot) {
        if (boot.entryMode() != PrivilegeMode.SUPERVISOR) {
            throw new IllegalArgumentException("hwassist runs a supervisor-mode kernel on the VMM's own SBI; "
                    + "use --bios builtin with a kernel");
        }
        for (Hart hart : board.harts()) {
            if (!hart.isa().has('h')) {
                throw new IllegalArgumentException("hwassist needs harts with the H extension; got " + hart.isa());
            }
        }
        AddressRange vmmRegion = board.vmmMemory().orElseThrow(() ->
                new IllegalStateException("hwassist needs VMM memory for its G-stage tables"));
        this.machine = board;
        // The guest's interrupts are VS-level bits of the hart's own mip and mie (hvip, vstimecmp, the guest's sie),
        // the VMM's are HS- and M-level ones: either wakes a hart waiting in WFI.
        waiting = WaitingHarts.wokenByTheirOwnInterrupts(board.harts().size());
        GStageTables tables = new GStageTables(board.physicalMemory(), vmmRegion, board.memory().range(),
                GStageModeProbe.largest(board.harts().get(0)));
        counters.counter("gstage", "table-pages", CostCategory.NONE).add(tables.pages());
        boolean sstc = board.harts().get(0).isa().has("sstc");
        GuestEntry entry = new GuestEntry(tables.hgatp(VMID), sstc);
        interrupts = new VirtualInterrupts(board, sstc);
        platform = new HwAssistSbiPlatform(board, console, interrupts, entry,
                counters.counter("gstage", "hfence-vvma", CostCategory.TLB_FLUSH));
        sbiCalls = new SbiCallHandler(sbi, platform, exits);
        guestPageFaults = new GuestPageFaultHandler(board.mmio(), GuestDeviceWindows.of(board),
                new GuestInstructionReader(board.memory()), exits);
        virtualInstructions = new VirtualInstructionHandler(interrupts, exits);
        log.info("hwassist: guest in VS-mode on {} G-stage tables at 0x{} ({} pages) in {}",
                GStageTables.name(tables.mode()), Long.toHexString(tables.root()), tables.pages(), vmmRegion);
        Hart bootHart = board.harts().get(0);
        entry.enter(bootHart, boot.entry(), boot.deviceTree().base());
        platform.markStarted(bootHart.hartId());
    }

    /** A hart runs once started, and after a WFI once an interrupt, the guest's or the VMM's, is pending. */
    @Override
    public boolean isRunnable(Hart hart) {
        return (platform == null || platform.isStarted(hart.hartId())) && (waiting == null || waiting.mayRun(hart));
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
        interrupts.synchronize(hart);
        waiting.exited(hart, action);
        return action;
    }

    private ExitAction handleTrap(Hart hart, PendingTrap trap) {
        if (trap.isInterrupt()) {
            return handleInterrupt(hart, trap);
        }
        if (!trap.fromVirtual()) {
            return fail(GuestOutcome.Status.INTERNAL_ERROR, "%s exit from HS-mode at pc 0x%x", trap);
        }
        switch (trap.code()) {
            case TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR -> {
                exits.exit("vs-ecall");
                sbiCalls.handle(hart);
                return ExitAction.RESUME;
            }
            case TrapCause.INSTRUCTION_GUEST_PAGE_FAULT, TrapCause.LOAD_GUEST_PAGE_FAULT,
                 TrapCause.STORE_GUEST_PAGE_FAULT -> {
                exits.exit("guest-page-fault");
                guestPageFaults.handle(hart, trap);
                return ExitAction.RESUME;
            }
            case TrapCause.VIRTUAL_INSTRUCTION -> {
                return virtualInstructions.handle(hart, trap);
            }
            default -> {
                // Every other exception is delegated to the guest; one arriving here is a VMM bug.
                return fail(GuestOutcome.Status.INTERNAL_ERROR, "undelegated %s exit at pc 0x%x", trap);
            }
        }
    }

    private ExitAction handleInterrupt(Hart hart, PendingTrap trap) {
        switch (trap.code()) {
            case TrapCause.MACHINE_TIMER_INTERRUPT -> {
                exits.exit("timer");
                interrupts.machineTimerFired(hart);
            }
            case TrapCause.SUPERVISOR_EXTERNAL_INTERRUPT -> {
                exits.exit("external-interrupt");
                interrupts.externalInterrupt(hart);
            }
            default -> {
                return fail(GuestOutcome.Status.INTERNAL_ERROR, "unexpected %s interrupt exit at pc 0x%x", trap);
            }
        }
        return ExitAction.RESUME;
    }

    private ExitAction fail(GuestOutcome.Status status, String format, PendingTrap trap) {
        String name = trap.isInterrupt() ? TrapCause.interruptName(trap.code())
                : TrapCause.exceptionName(trap.code());
        machine.stop(new GuestOutcome(status, String.format(format, name, trap.pc())));
        return ExitAction.STOP;
    }
}
