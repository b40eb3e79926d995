package io.vmmlab.api.testing;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.hypervisor.Hypervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A test helper: the runtime's run loop in miniature, for one hart and a hypervisor under test. */
public final class ExitLoop {
    private ExitLoop() {
    }

    /**
     * Runs the hart in slices and hands every exit to the hypervisor, until the condition holds (checked before
     * each slice), the hypervisor answers {@link ExitAction#STOP}, or the slices run out.
     *
     * @param hypervisor the hypervisor under test, already started
     * @param hart the hart
     * @param budget instructions per slice
     * @param slices how many slices at most
     * @param done when to stop
     * @return the exits, in order
     */
    public static List<HartExit> run(Hypervisor hypervisor, Hart hart, long budget, int slices, BooleanSupplier done) {
        List<HartExit> exits = new ArrayList<>();
        for (int slice = 0; slice < slices && !done.getAsBoolean(); slice++) {
            HartExit exit = hart.run(budget);
            exits.add(exit);
            if (hypervisor.handleExit(hart, exit) == ExitAction.STOP) {
                break;
            }
        }
        return exits;
    }
}
