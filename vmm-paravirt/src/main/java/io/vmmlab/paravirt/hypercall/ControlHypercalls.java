package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.paravirt.events.EventChannel;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.paging.PageTableRegistry;
import io.vmmlab.paravirt.paging.PageTableValidator;
import io.vmmlab.paravirt.vcpu.VirtualCpu;

import java.util.Map;
import java.util.Objects;

/**
 * Version, shared page, trap vector, return from trap, yield, block and shutdown.
 */
public final class ControlHypercalls implements HypercallGroup {
    /** mie.SEIE: device interrupts exit to the VMM. */
    public static final long MIE_SEIE = 1L << 9;
    private static final int FRAME_WORDS = 32;
    private static final long MODE_KERNEL = 0;
    private static final long MODE_USER = 1;

    private final Machine machine;
    private final GuestMemory memory;
    private final GuestPointers pointers;
    private final VirtualCpu cpu;
    private final SharedInfoPage sharedPage;
    private final EventChannel events;
    private final PageTableRegistry registry;
    private final PageTableValidator validator;

    /**
     * Creates the group.
     *
     * @param machine the board
     * @param pointers the pointer checker
     * @param cpu the virtual CPU
     * @param sharedPage the shared page
     * @param events the pending events
     * @param registry the page-table bookkeeping
     * @param validator the page-table judge (told which page is shared)
     */
    public ControlHypercalls(Machine machine, GuestPointers pointers, VirtualCpu cpu, SharedInfoPage sharedPage,
                             EventChannel events, PageTableRegistry registry, PageTableValidator validator) {
        this.machine = Objects.requireNonNull(machine, "machine is null");
        this.memory = machine.memory();
        this.pointers = Objects.requireNonNull(pointers, "pointers is null");
        this.cpu = Objects.requireNonNull(cpu, "cpu is null");
        this.sharedPage = Objects.requireNonNull(sharedPage, "sharedPage is null");
        this.events = Objects.requireNonNull(events, "events is null");
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.validator = Objects.requireNonNull(validator, "validator is null");
    }

    @Override
    public Map<Hypercall, HypercallHandler> handlers() {
        return Map.of(
                Hypercall.VERSION, (hart, arguments) -> HypercallOutcome.ok(Hypercall.ABI_VERSION),
                Hypercall.REGISTER_SHARED_PAGE, (hart, arguments) -> registerSharedPage(arguments.a0()),
                Hypercall.SET_TRAP_VECTOR, (hart, arguments) -> setTrapVector(arguments.a0()),
                Hypercall.IRET, this::returnFromTrap,
                Hypercall.YIELD, (hart, arguments) -> HypercallOutcome.ok(0),
                Hypercall.BLOCK, (hart, arguments) -> events.anyPending() ? HypercallOutcome.ok(0)
                        : HypercallOutcome.blocked(),
                Hypercall.SHUTDOWN, (hart, arguments) -> shutdown(arguments.a0()));
    }

    private HypercallOutcome registerSharedPage(long page) {
        if (sharedPage.isRegistered()) {
            return HypercallOutcome.error(PvError.EEXIST);
        }
        if (!pointers.isValid(page, 4096, 4096)) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
        if (registry.isPinned(page)) {
            return HypercallOutcome.error(PvError.EPERM);
        }
        sharedPage.register(page, machine.time().frequencyHz());
        validator.setSharedPage(page);
        events.mirror();
        return HypercallOutcome.ok(0);
    }

    private HypercallOutcome setTrapVector(long vector) {
        if (vector == 0 || (vector & 3) != 0) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        cpu.setTrapVector(vector);
        return HypercallOutcome.ok(0);
    }

    /** IRET: a0 = frame (epc, x1..x31), a1 = 0 kernel / 1 user. Unmasks events and re-arms device interrupts. */
    private HypercallOutcome returnFromTrap(Hart hart, HypercallArguments arguments) {
        long frame = arguments.a0();
        long mode = arguments.a1();
        if (mode != MODE_KERNEL && mode != MODE_USER) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        if (!pointers.isValid(frame, 8L * FRAME_WORDS, 8)) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
        if (!sharedPage.isRegistered()) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        // User traps bounce to the vector: without one the kernel could not take them.
        if (mode == MODE_USER && (cpu.trapVector() == 0 || !cpu.enterUser(hart))) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        hart.setPc(memory.read64(frame) & ~1L); // as sret: sepc[0] is always 0 (Priv. spec, "sepc")
        hart.clearReservation(); // as sret
        for (int register = 1; register < FRAME_WORDS; register++) {
            hart.setRegister(register, memory.read64(frame + 8L * register));
        }
        sharedPage.write(SharedInfoPage.EVENTS_MASK, 0);
        cpu.setHandlingKernelException(false);
        hart.writeCsr(CsrNumbers.MIE, hart.readCsr(CsrNumbers.MIE) | MIE_SEIE);
        return HypercallOutcome.resumed();
    }

    private HypercallOutcome shutdown(long reason) {
        if (reason == 0) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "guest powered off (PV shutdown)"));
        } else if (reason == 1) {
            machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED,
                    "guest reported a system failure (PV shutdown)"));
        } else {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        return HypercallOutcome.stopped();
    }
}
