package io.vmmlab.fullvirt.sbi;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.sbi.MachineSbiPlatform;
import io.vmmlab.fullvirt.vcpu.VirtualSupervisorState;
import io.vmmlab.fullvirt.vcpu.VirtualTimer;

import java.util.function.Consumer;

/**
 * The machine as the built-in SBI sees it under full virtualization: timers and IPIs act on the guest's virtual
 * supervisor state (virtual STIP through the real CLINT deadline, virtual SSIP with a CLINT software interrupt to
 * make another hart exit), hart state management keeps stopped harts out of the run loop.
 */
public final class FullVirtSbiPlatform extends MachineSbiPlatform {
    private final VirtualSupervisorState[] states;
    private final VirtualTimer timer;
    private final GuestHartLauncher launcher;
    private final Consumer<Hart> fenced;

    /**
     * Creates the platform.
     *
     * @param machine the board
     * @param console the guest console
     * @param states each hart's virtual state, by hart id
     * @param timer the virtual timer
     * @param launcher starts harts for HSM
     * @param fenced told of each hart a remote fence reached, after its caches were dropped (binary translation
     *               makes it leave translated code, whose chained jumps would not see a new mapping)
     */
    public FullVirtSbiPlatform(Machine machine, HostConsole console, VirtualSupervisorState[] states,
                               VirtualTimer timer, GuestHartLauncher launcher, Consumer<Hart> fenced) {
        super(machine, console);
        this.states = states;
        this.timer = timer;
        this.launcher = launcher;
        this.fenced = fenced;
    }

    @Override
    public void setTimer(int hartId, long deadline) {
        timer.arm(machine().harts().get(hartId), states[hartId], deadline);
    }

    @Override
    public void sendSoftwareInterrupt(int hartId) {
        states[hartId].setPending(states[hartId].pending() | VirtualSupervisorState.IP_SSIP);
        if (hartCount() > 1) {
            machine().mmio().hostWrite(ClintRegisters.msip(hartId), 4, 1);
        }
    }

    @Override
    public void clearSoftwareInterrupt(int hartId) {
        states[hartId].setPending(states[hartId].pending() & ~VirtualSupervisorState.IP_SSIP);
    }

    @Override
    public void remoteFence(int hartId) {
        Hart hart = machine().harts().get(hartId);
        hart.flushCaches();
        fenced.accept(hart);
    }

    @Override
    public void startHart(int hartId, long startAddress, long opaque) {
        launcher.launch(hartId, startAddress, opaque);
        markStarted(hartId);
    }

    /**
     * Clears a hart's CLINT software interrupt after it made the hart exit.
     *
     * @param hart the hart
     */
    public void acknowledgeSoftwareInterrupt(Hart hart) {
        machine().mmio().hostWrite(ClintRegisters.msip(hart.hartId()), 4, 0);
    }
}
