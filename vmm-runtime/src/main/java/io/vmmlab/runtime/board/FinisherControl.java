package io.vmmlab.runtime.board;

import io.vmmlab.api.device.MachineControl;
import io.vmmlab.api.hypervisor.GuestOutcome;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a device's power-off or reset request into the machine's outcome, and its wake-up into the machine's signal.
 * Devices are created before the machine object exists, so the machine is looked up when a request arrives.
 */
final class FinisherControl implements MachineControl {
    private final AtomicReference<VirtMachine> machine;

    FinisherControl(AtomicReference<VirtMachine> machine) {
        this.machine = machine;
    }

    @Override
    public void powerOff(int code) {
        if (code == 0) {
            stop(new GuestOutcome(GuestOutcome.Status.POWERED_OFF, "guest powered off (test finisher: pass)"));
        } else {
            stop(new GuestOutcome(GuestOutcome.Status.GUEST_FAILED,
                    String.format("guest reported failure code %d (test finisher)", code)));
        }
    }

    @Override
    public void reset() {
        stop(new GuestOutcome(GuestOutcome.Status.REBOOT_REQUESTED,
                "guest asked for a reset (test finisher); the machine stops instead"));
    }

    @Override
    public void wakeUp() {
        VirtMachine current = machine.get();
        if (current != null) { // an event before the machine exists is seen by its first poll
            current.wakeUp().signal();
        }
    }

    private void stop(GuestOutcome outcome) {
        VirtMachine current = machine.get();
        if (current == null) {
            throw new IllegalStateException("a device asked to stop the machine before it was built");
        }
        current.stop(outcome);
    }
}
