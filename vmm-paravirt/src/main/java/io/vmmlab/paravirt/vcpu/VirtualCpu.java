package io.vmmlab.paravirt.vcpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.paravirt.paging.RootLoads;
import io.vmmlab.paravirt.paging.Sv39;
import io.vmmlab.paravirt.paging.UserViewRoots;

import java.util.Objects;

/**
 * The guest's virtual CPU state that the hart cannot hold, because guest kernel and guest user code both run in
 * physical U-mode: the virtual mode, the current address space (the guest's root, or the VMM's boot space), the
 * registered trap vector, and whether a guest-kernel exception is being handled (to catch a fault in the trap
 * vector itself).
 */
public final class VirtualCpu {
    private final long bootRoot;
    private final UserViewRoots userViews;
    private final RootLoads roots;
    private VirtualMode mode = VirtualMode.KERNEL;
    private long root = -1;
    private long trapVector;
    private boolean handlingKernelException;

    /**
     * Creates the state of a guest that starts in kernel mode in the boot address space.
     *
     * @param bootRoot the boot address space's root
     * @param userViews the user views of pinned roots
     * @param roots how the hart's satp is loaded (and the load counted)
     */
    public VirtualCpu(long bootRoot, UserViewRoots userViews, RootLoads roots) {
        this.bootRoot = bootRoot;
        this.userViews = Objects.requireNonNull(userViews, "userViews is null");
        this.roots = Objects.requireNonNull(roots, "roots is null");
    }

    /**
     * Returns the virtual mode.
     *
     * @return kernel or user
     */
    public VirtualMode mode() {
        return mode;
    }

    /**
     * Returns the guest's current root table.
     *
     * @return a pinned level-2 table, or -1 while the guest runs in the boot address space
     */
    public long root() {
        return root;
    }

    /**
     * Switches the guest to another pinned root; the hart uses it at once (the guest is in kernel mode).
     *
     * @param hart the hart
     * @param newRoot a pinned level-2 table
     */
    public void switchRoot(Hart hart, long newRoot) {
        root = newRoot;
        roots.load(hart, kernelSatp());
    }

    /**
     * Loads the current root again: the hart drops every cached translation (a guest's flush request, or a table the
     * VMM changed).
     *
     * @param hart the hart
     */
    public void reloadRoot(Hart hart) {
        roots.reload(hart);
    }

    /**
     * Enters virtual kernel mode and the kernel view of the current address space.
     *
     * @param hart the hart
     */
    public void enterKernel(Hart hart) {
        if (mode != VirtualMode.KERNEL) {
            mode = VirtualMode.KERNEL;
            roots.load(hart, kernelSatp());
        }
    }

    /**
     * Enters virtual user mode and the user view of the current root.
     *
     * @param hart the hart
     * @return false when the guest has no pinned root yet (it stays in kernel mode)
     */
    public boolean enterUser(Hart hart) {
        long view = root < 0 ? -1 : userViews.view(root);
        if (view < 0) {
            return false;
        }
        mode = VirtualMode.USER;
        roots.load(hart, Sv39.satp(view));
        return true;
    }

    /**
     * Returns the satp value of the kernel view.
     *
     * @return satp
     */
    public long kernelSatp() {
        return Sv39.satp(root < 0 ? bootRoot : root);
    }

    /**
     * Returns the registered trap vector.
     *
     * @return a guest-virtual address, or 0 when none is registered
     */
    public long trapVector() {
        return trapVector;
    }

    /**
     * Registers the trap vector.
     *
     * @param vector a guest-virtual address
     */
    public void setTrapVector(long vector) {
        this.trapVector = vector;
    }

    /**
     * Tells whether a guest-kernel exception was bounced and not yet returned from.
     *
     * @return true while the kernel handles one
     */
    public boolean handlingKernelException() {
        return handlingKernelException;
    }

    /**
     * Records that a guest-kernel exception was bounced, or that the kernel returned from trap.
     *
     * @param handling the new state
     */
    public void setHandlingKernelException(boolean handling) {
        this.handlingKernelException = handling;
    }
}
