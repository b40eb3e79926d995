package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.cpu.TrapInterception;
import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.BootInfo;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.hypervisor.VmmEntries;
import io.vmmlab.api.hypervisor.WaitingHarts;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiExtensionNames;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;
import io.vmmlab.fullvirt.emulate.CsrEmulator;
import io.vmmlab.fullvirt.emulate.PrivilegedInstructionEmulator;
import io.vmmlab.fullvirt.mmio.GuestMemoryFaultHandler;
import io.vmmlab.fullvirt.mmio.MmioEmulator;
import io.vmmlab.fullvirt.sbi.FullVirtSbiPlatform;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker;
import io.vmmlab.fullvirt.shadow.ShadowFrameAllocator;
import io.vmmlab.fullvirt.shadow.ShadowMmu;
import io.vmmlab.fullvirt.translate.BinaryTranslator;
import io.vmmlab.fullvirt.translate.TranslationCache;
import io.vmmlab.fullvirt.vcpu.HostHartBinding;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;
import io.vmmlab.fullvirt.vcpu.VirtualTimer;
import io.vmmlab.fullvirt.vcpu.VirtualTrapInjector;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Full virtualization by trap-and-emulate on a board without the H extension: the unmodified guest kernel runs in
 * the hart's U-mode on shadow page tables; every trap goes to M-mode (medeleg = mideleg = 0) and therefore to this
 * VMM, which emulates privileged instructions on the guest's virtual supervisor state, fills shadow tables, traces
 * guest page-table writes, emulates device accesses, answers SBI calls and reflects everything else into the guest
 * kernel as a virtual trap. With technique {@code bt} the guest kernel's code runs translated instead (see
 * {@link BinaryTranslator}): its sensitive instructions reach {@link #sensitive} as in-line callouts, not traps.
 */
public final class FullVirtHypervisor implements Hypervisor, BinaryTranslator.GuestKernel {
    private static final Logger log = LoggerFactory.getLogger(FullVirtHypervisor.class);
    private static final int A0 = 10;
    private static final int A1 = 11;
    private static final int ECALL = 0x73;
    private static final int EBREAK = 0x0010_0073;
    private static final int MAX_ENTRY_FAULTS = 3;
    private static final long DEBUG_CONSOLE = 0x4442_434eL;
    private static final long DEBUG_CONSOLE_READ = 1;

    private final SupervisorBinaryInterface sbi;
    private final HostConsole console;
    private final Counters counters;
    private final FullVirtTechnique technique;
    private final VmmEntries entries;
    private final AddressTranslation translation;
    private final Map<Long, Counter> sbiCounters = new HashMap<>();
    private final Map<Integer, Counter> reflected = new HashMap<>();
    private final Map<Integer, Counter> exits = new HashMap<>();
    private Machine machine;
    private VirtualSupervisorState[] states;
    private VirtualTimer timer;
    private VirtualTrapInjector injector;
    private ShadowMmu shadow;
    private PrivilegedInstructionEmulator privileged;
    private CsrEmulator csrs;
    private GuestMemoryFaultHandler memoryFaults;
    private HostHartBinding binding;
    private FullVirtSbiPlatform platform;
    private BinaryTranslator translator;
    private boolean[] waiting;
    private WaitingHarts halted;
    private Counter ecallCallouts;
    private Counter ebreakCallouts;
    private Counter fenceCallouts;

    /**
     * Creates the hypervisor for one VM.
     *
     * @param sbi the built-in SBI implementation offered to the guest
     * @param console the guest console
     * @param counters where to count
     * @param technique trap-and-emulate or binary translation
     * @param entries where binary translation's callouts and faults are reported (for the exit profile)
     * @param spec the VM: its harts' largest page-table mode is what the guest's emulated satp offers too
     */
    @Inject
    public FullVirtHypervisor(SupervisorBinaryInterface sbi, HostConsole console, Counters counters,
                              FullVirtTechnique technique, VmmEntries entries, VmSpec spec) {
        this(sbi, console, counters, technique, entries, spec.translation());
    }

    /**
     * Creates the hypervisor for one VM, given the page-table modes without the rest of the spec.
     *
     * @param sbi the built-in SBI implementation offered to the guest
     * @param console the guest console
     * @param counters where to count
     * @param technique trap-and-emulate or binary translation
     * @param entries where binary translation's callouts and faults are reported (for the exit profile)
     * @param translation the largest page-table mode the harts offer, which the guest's emulated satp offers too
     */
    public FullVirtHypervisor(SupervisorBinaryInterface sbi, HostConsole console, Counters counters,
                              FullVirtTechnique technique, VmmEntries entries, AddressTranslation translation) {
        this.sbi = Objects.requireNonNull(sbi, "sbi");
        this.console = Objects.requireNonNull(console, "console");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.technique = Objects.requireNonNull(technique, "technique");
        this.entries = Objects.requireNonNull(entries, "entries");
        this.translation = Objects.requireNonNull(translation, "translation");
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
            states[i] = new VirtualSupervisorState(translation);
            if (board.harts().get(i).isa().has('f')) {
                states[i].enableFloatingPoint(); // the real FS follows the guest's (HostHartBinding)
            }
        }
        timer = new VirtualTimer(board.mmio());
        injector = new VirtualTrapInjector();
        waiting = new boolean[harts];
        halted = new WaitingHarts(harts, this::wakes);
        long cacheBytes = technique == FullVirtTechnique.BT
                ? Math.min(FullVirtStrategyProvider.TRANSLATION_CACHE_BYTES, (vmmRegion.size() / 4) & ~0xfffL) : 0;
        AddressRange shadowRegion = new AddressRange(vmmRegion.base(), vmmRegion.size() - cacheBytes);
        shadow = new ShadowMmu(board.physicalMemory(), board.memory(), board.mmio(),
                new ShadowFrameAllocator(board.physicalMemory(), shadowRegion), harts, counters);
        if (technique == FullVirtTechnique.BT) {
            startTranslator(board, new AddressRange(shadowRegion.end(), cacheBytes));
        }
        try {
            board.addDmaWriteListener(this::dmaWritten);
        } catch (UnsupportedOperationException e) {
            log.warn("This board does not report DMA writes: device writes into guest page tables and translated "
                    + "code go unnoticed");
        }
        if (translator != null) {
            try {
                board.addHostWriteListener(shadow::hostWrite);
            } catch (UnsupportedOperationException e) {
                log.warn("This board does not report host writes: an SBI console read into translated guest code "
                        + "goes unnoticed");
            }
        }
        boolean sstc = board.harts().get(0).isa().has("sstc");
        csrs = new CsrEmulator(timer, sstc);
        privileged = new PrivilegedInstructionEmulator(csrs, injector, counters);
        MmioEmulator mmio = new MmioEmulator(board.mmio(), GuestDeviceWindows.of(board), counters);
        memoryFaults = new GuestMemoryFaultHandler(shadow, mmio, board.memory(), counters, harts);
        binding = new HostHartBinding(shadow, injector, board.harts(), states, counters);
        platform = new FullVirtSbiPlatform(board, console, states, timer, this::launch, fenced -> {
            if (translator != null) {
                translator.fenced(fenced);
            }
        });
        log.info("fullvirt/{}: guest kernel deprivileged to U-mode, VMM memory {}", technique.techniqueName(),
                vmmRegion);
        launch(0, boot.entry(), boot.deviceTree().base());
        platform.markStarted(0);
    }

    private void startTranslator(Machine board, AddressRange cacheRegion) {
        TranslationCache cache = new TranslationCache(board.physicalMemory(), cacheRegion);
        translator = new BinaryTranslator(cache, board.memory(), shadow.walker(), board.harts(), states, shadow,
                counters);
        translator.connect(this);
        shadow.enableTranslatedCode(TranslationCache.WINDOW, cacheRegion.base(), cacheRegion.size(),
                translator::codeWritten);
        for (Hart hart : board.harts()) {
            try {
                hart.setCalloutHandler(translator);
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("fullvirt/bt needs a CPU whose harts support callouts; "
                        + "this one does not (" + e.getMessage() + ")");
            }
        }
        ecallCallouts = counters.counter("callout", "ecall", CostCategory.CALLOUT);
        ebreakCallouts = counters.counter("callout", "ebreak", CostCategory.CALLOUT);
        fenceCallouts = counters.counter("callout", "fence-i", CostCategory.CALLOUT);
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
        resume(hart);
    }

    /**
     * Makes the real hart match the virtual state before it runs again; under bt, a hart in virtual S-mode is then
     * pointed at the translation of its guest pc (a guest fetch fault there is delivered first).
     */
    private void resume(Hart hart) {
        binding.prepare(hart);
        if (translator == null) {
            return;
        }
        VirtualSupervisorState state = states[hart.hartId()];
        for (int attempt = 0; state.supervisor(); attempt++) {
            int cause = translator.enter(hart);
            if (cause < 0) {
                return;
            }
            if (attempt == MAX_ENTRY_FAULTS) {
                machine.stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED, String.format(
                        "guest kernel cannot fetch code at 0x%x (nor its trap vector)", hart.pc())));
                return;
            }
            entries.fault(hart, hart.pc(), cause); // a VMM entry priced as a round trip, as the profile counts it
            countReflected(cause);
            injector.enterTrap(hart, state, cause, translator.faultAddress(), hart.pc());
            binding.prepare(hart);
            entries.handled(hart);
        }
    }

    /** A device wrote guest RAM: shadows and translations derived from it go, on every hart at once. */
    private void dmaWritten(long address, long length) {
        if (shadow.externalWrite(address, length)) {
            machine.harts().forEach(Hart::flushCaches);
        }
    }

    /** A hart runs once the guest started it, and after its emulated WFI once something would wake it. */
    @Override
    public boolean isRunnable(Hart hart) {
        return (platform == null || platform.isStarted(hart.hartId())) && (halted == null || halted.mayRun(hart));
    }

    /**
     * WFI's wake-up condition for the guest (Privileged spec, "Wait for Interrupt Instruction"): a virtual interrupt
     * pending and enabled in its sie, whatever its sstatus.SIE says (an external line included, which the real mie
     * masks while the guest has SIE clear), or a real interrupt the VMM must see first (its timer, an IPI).
     */
    private boolean wakes(Hart hart) {
        VirtualSupervisorState state = states[hart.hartId()];
        return WaitingHarts.interruptPendingAndEnabled(hart)
                || (injector.pendingInterrupts(state, HostHartBinding.externalPending(hart)) & state.sie()) != 0;
    }

    @Override
    public ExitAction handleExit(Hart hart, HartExit exit) {
        if (exit == HartExit.BUDGET_EXHAUSTED) {
            // The slice ended: nothing to emulate, and the hart goes on where it is (in the translation cache, under
            // bt); parking and re-entering it every slice cost about 2% of a Linux boot.
            return machine.outcome().isPresent() ? ExitAction.STOP : ExitAction.RESUME;
        }
        PendingTrap trap = exit == HartExit.TRAP ? guestView(hart, hart.pendingTrap()) : null;
        if (translator != null) {
            translator.park(hart); // the guest sees its own pc, never the cache's
        }
        ExitAction action = switch (exit) {
            case WAIT_FOR_INTERRUPT -> ExitAction.WAIT_FOR_INTERRUPT;
            case BUDGET_EXHAUSTED, EXIT_REQUESTED -> waitRequested(hart) ? ExitAction.WAIT_FOR_INTERRUPT
                    : ExitAction.RESUME; // budget: not reached (above)
            case TRAP -> handleTrap(hart, trap);
        };
        if (machine.outcome().isPresent()) {
            return ExitAction.STOP;
        }
        if (action != ExitAction.STOP) {
            resume(hart);
        }
        halted.exited(hart, action);
        return action;
    }

    /** Under bt, an address in the translation cache stands for the guest instruction it was translated from. */
    @Override
    public long guestPc(Hart hart, long pc) {
        return translator == null ? pc : translator.guestPc(hart, pc);
    }

    /** The guest's supervisor CSRs are the VMM's copies (the hart's satp points at the shadow tables). */
    @Override
    public long guestCsr(Hart hart, int csr) {
        return csrs != null && (csr >>> 8) == 1 && csrs.exists(csr)
                ? csrs.read(hart, states[hart.hartId()], csr, HostHartBinding.externalPending(hart))
                : hart.readCsr(csr);
    }

    /**
     * A debugger's write of a guest supervisor CSR goes to the VMM's copy, and the real hart is bound again from it
     * (shadow view, interrupt enables, timer), as after an emulated CSR write. Refused under bt (the hart may be in
     * the translation cache, whose code depends on the state a write could change) and for every other CSR (the
     * hart's are the VMM's: the guest runs deprivileged).
     */
    @Override
    public boolean setGuestCsr(Hart hart, int csr, long value) {
        if (translator != null || csrs == null || (csr >>> 8) != 1 || !csrs.exists(csr)
                || CsrEmulator.readOnly(csr)) {
            return false;
        }
        csrs.write(hart, states[hart.hartId()], csr, value);
        binding.prepare(hart);
        return true;
    }

    private boolean waitRequested(Hart hart) {
        boolean wait = waiting[hart.hartId()];
        waiting[hart.hartId()] = false;
        return wait;
    }

    private PendingTrap guestView(Hart hart, PendingTrap trap) {
        if (translator == null || !translator.inTranslatedCode(hart, trap.pc())) {
            return trap;
        }
        return new PendingTrap(trap.cause(), trap.tval(), trap.tval2(), trap.tinst(),
                translator.guestPc(hart, trap.pc()), trap.fromMode(), trap.fromVirtual());
    }

    @Override
    public void sensitive(Hart hart, int bits, long next) {
        entries.callout(hart, hart.pc(), bits);
        try {
            emulateSensitive(hart, bits, next);
        } finally {
            entries.handled(hart); // what the VMM counted meanwhile is the callout's, in the exit profile
        }
    }

    private void emulateSensitive(Hart hart, int bits, long next) {
        VirtualSupervisorState state = states[hart.hartId()];
        if (bits == ECALL) {
            ecallCallouts.increment();
            sbiCall(hart, CostCategory.NONE);
        } else if (bits == EBREAK) {
            ebreakCallouts.increment();
            countReflected(TrapCause.BREAKPOINT);
            injector.enterTrap(hart, state, TrapCause.BREAKPOINT, hart.pc(), hart.pc());
        } else if ((bits & 0x707f) == 0x100f) {
            fenceCallouts.increment();
            // Translations need nothing: every write into a translated guest page (a guest store on any hart, which
            // the shadows' write protection traps; DMA; the host's own writes) has dropped that page's translations
            // already. The guest's FENCE.I also covers code this hart decoded from guest RAM (its user programs run
            // natively): the hart drops what was written since, by another hart or the host.
            hart.fenceInstructions();
            hart.setPc(hart.pc() + 4);
        } else {
            switch (privileged.emulate(hart, state, bits, HostHartBinding.externalPending(hart), true)) {
                case EMULATED -> {
                    if (PrivilegedInstructionEmulator.keepsHostState(bits)) {
                        hart.setPc(next);
                        return;
                    }
                }
                case WAIT -> {
                    waiting[hart.hartId()] = true;
                    hart.requestExit();
                    return;
                }
                case ILLEGAL -> {
                    countReflected(TrapCause.ILLEGAL_INSTRUCTION);
                    injector.enterTrap(hart, state, TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL, hart.pc());
                }
            }
        }
        resumeInline(hart);
    }

    @Override
    public void fault(Hart hart, int cause, long tval) {
        entries.fault(hart, hart.pc(), cause);
        try {
            countReflected(cause);
            injector.enterTrap(hart, states[hart.hartId()], cause, tval, hart.pc());
            resumeInline(hart);
        } finally {
            entries.handled(hart);
        }
    }

    /**
     * After a callout changed the virtual state: re-bind the hart without leaving its run, unless it must stop: the
     * machine has an outcome, or the hart is stopped (SBI HSM hart_stop does not return; the run loop must see it).
     */
    private void resumeInline(Hart hart) {
        if (machine.outcome().isPresent() || !isRunnable(hart)) {
            hart.requestExit();
            return;
        }
        resume(hart);
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
                return state.supervisor() ? sbiCall(hart, CostCategory.TRAP_ROUND_TRIP) : reflect(hart, state, trap);
            }
            case TrapCause.INSTRUCTION_PAGE_FAULT -> {
                if (translator != null && state.supervisor() && !translator.inTranslatedCode(hart, trap.tval())) {
                    return ExitAction.RESUME; // guest-kernel code never runs untranslated: resume() translates it
                }
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
        GuestMemoryFaultHandler.GuestFault fault = memoryFaults.handle(hart, state, access, trap.tval());
        if (fault == null) {
            return ExitAction.RESUME;
        }
        if (fault == GuestMemoryFaultHandler.STALE_CODE) {
            // The hart ran an older copy of the instruction than memory holds: it runs it again as it is now (as it
            // may see a rewrite at any time without FENCE.I).
            hart.fenceInstructions();
            if (translator != null) {
                translator.refetch(hart);
            }
            return ExitAction.RESUME;
        }
        countReflected(fault.cause());
        injector.enterTrap(hart, state, fault.cause(), fault.tval(), trap.pc());
        return ExitAction.RESUME;
    }

    private ExitAction reflect(Hart hart, VirtualSupervisorState state, PendingTrap trap) {
        countReflected(trap.code());
        injector.enterTrap(hart, state, trap.code(), trap.tval(), trap.pc());
        return ExitAction.RESUME;
    }

    private ExitAction sbiCall(Hart hart, CostCategory cost) {
        SbiCall call = SbiCall.of(hart);
        sbiCounters.computeIfAbsent(call.extension(), id -> counters.counter("sbi", SbiExtensionNames.of(id),
                cost)).increment();
        sbi.call(call, platform).returnTo(hart, call);
        if (call.extension() == DEBUG_CONSOLE && call.function() == DEBUG_CONSOLE_READ && call.a2() == 0) {
            consoleWroteGuestRam(call.a1(), call.a0());
        }
        return ExitAction.RESUME;
    }

    /**
     * The debug console read into a guest buffer: the host wrote guest RAM on the guest's behalf, as a device's DMA
     * would, so a guest page table there is followed as for DMA (its derived shadow entries go; natively the kernel's
     * SFENCE.VMA would see the new PTEs, and here SFENCE.VMA does nothing). The harts drop the stale translations at
     * the binding that follows every SBI call (from a callout too, so not at once as for DMA); translated code there
     * went with the host-write listener already. The whole buffer asked for counts (within guest RAM).
     */
    private void consoleWroteGuestRam(long address, long length) {
        AddressRange ram = machine.memory().range();
        long start = Math.max(address, ram.base());
        long end = length > 0 && address + length > address ? Math.min(address + length, ram.end()) : start;
        if (start < end) {
            shadow.externalWrite(start, end - start);
        }
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
