package io.vmmlab.fullvirt.vcpu;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.fullvirt.shadow.PendingTlbFlush;
import io.vmmlab.fullvirt.shadow.ShadowMmu;

import java.util.List;

/**
 * Makes the real hart match the guest's virtual state before it runs again: takes a pending virtual interrupt the
 * guest has enabled, points the real satp at the shadow tree of the guest's address space and virtual privilege
 * view, opens the counters the guest kernel may read, and enables the real supervisor external interrupt only while
 * the guest could take it (so a masked device line cannot cause an interrupt storm).
 */
public final class HostHartBinding {
    private static final long MIP_SEIP = 1L << 9;
    private static final long MIE_MSIE = 1L << 3;
    private static final long MIE_SEIE = 1L << 9;

    private final ShadowMmu shadow;
    private final VirtualTrapInjector injector;
    private final List<Hart> harts;
    private final VirtualSupervisorState[] states;
    private final Counters counters;
    private final Counter[] injected = new Counter[16];
    private final Counter flushes;

    /**
     * Creates the binding.
     *
     * @param shadow the shadow MMU
     * @param injector trap entry on the virtual state
     * @param harts the real harts
     * @param states their guests' virtual states
     * @param counters where to count
     */
    public HostHartBinding(ShadowMmu shadow, VirtualTrapInjector injector, List<Hart> harts,
                           VirtualSupervisorState[] states, Counters counters) {
        this.shadow = shadow;
        this.injector = injector;
        this.harts = harts;
        this.states = states;
        this.counters = counters;
        this.flushes = counters.counter("shadow", "tlb-flush", CostCategory.TLB_FLUSH);
    }

    /**
     * Tells whether the PLIC's supervisor external line of a hart is raised.
     *
     * @param hart the real hart
     * @return true when raised
     */
    public static boolean externalPending(Hart hart) {
        return (hart.readCsr(CsrNumbers.MIP) & MIP_SEIP) != 0;
    }

    /**
     * Delivers a pending virtual interrupt if the guest takes it now, then programs the real hart.
     *
     * @param hart the hart about to run again
     */
    public void prepare(Hart hart) {
        VirtualSupervisorState state = states[hart.hartId()];
        int code = injector.deliverInterrupt(hart, state, externalPending(hart));
        if (code >= 0) {
            if (injected[code] == null) {
                injected[code] = counters.counter("virtual-interrupt",
                        io.vmmlab.api.cpu.TrapCause.interruptName(code), CostCategory.NONE);
            }
            injected[code].increment();
        }
        bind(hart, state);
        PendingTlbFlush flush = shadow.pendingFlush();
        if (!flush.isEmpty()) {
            flushes.increment();
            for (Hart other : harts) {
                bind(other, states[other.hartId()]); // may drop every shadow (out of frames), adding to the flush
            }
            for (Hart other : harts) {
                flush.applyTo(other);
            }
            flush.clear();
        }
    }

    private void bind(Hart hart, VirtualSupervisorState state) {
        if (state.floatingPoint()) {
            bindFloatingPoint(hart, state);
        }
        long satp = shadow.activate(hart.hartId(), state.satp(),
                ShadowMmu.view(state.supervisor(), state.sum(), state.mxr()));
        if (hart.readCsr(CsrNumbers.SATP) != satp) {
            hart.writeCsr(CsrNumbers.SATP, satp);
        }
        long counterAccess = state.supervisor() ? 0xffff_ffffL : state.scounteren();
        if (hart.readCsr(CsrNumbers.SCOUNTEREN) != counterAccess) {
            hart.writeCsr(CsrNumbers.SCOUNTEREN, counterAccess);
        }
        long mie = hart.readCsr(CsrNumbers.MIE);
        boolean external = (state.sie() & VirtualSupervisorState.IP_SEIP) != 0 && injector.globallyEnabled(state);
        long wanted = (external ? mie | MIE_SEIE : mie & ~MIE_SEIE) | (harts.size() > 1 ? MIE_MSIE : 0);
        if (wanted != mie) {
            hart.writeCsr(CsrNumbers.MIE, wanted);
        }
    }

    /**
     * The real mstatus.FS follows the guest's sstatus.FS, so that guest code (deprivileged) may use floating point
     * exactly when its kernel allows, and traps (illegal instruction, reflected to the guest) when FS is Off; a
     * Dirty the hart set since the last binding is folded into the guest's view first.
     */
    private static void bindFloatingPoint(Hart hart, VirtualSupervisorState state) {
        long mstatus = hart.readCsr(CsrNumbers.MSTATUS);
        state.foldFloatingPoint(mstatus & VirtualSupervisorState.SSTATUS_FS);
        long wanted = state.sstatus() & VirtualSupervisorState.SSTATUS_FS;
        if ((mstatus & VirtualSupervisorState.SSTATUS_FS) != wanted) {
            hart.writeCsr(CsrNumbers.MSTATUS, (mstatus & ~VirtualSupervisorState.SSTATUS_FS) | wanted);
        }
        state.boundFloatingPoint(wanted);
    }

    /**
     * Brings a guest's sstatus.FS up to date with the real hart (a Dirty the hart set), before the VMM reads or
     * writes the guest's sstatus.
     *
     * @param hart the real hart
     * @param state its guest's virtual state
     */
    public static void takeFloatingPointStatus(Hart hart, VirtualSupervisorState state) {
        if (state.floatingPoint()) {
            state.foldFloatingPoint(hart.readCsr(CsrNumbers.MSTATUS) & VirtualSupervisorState.SSTATUS_FS);
        }
    }
}
