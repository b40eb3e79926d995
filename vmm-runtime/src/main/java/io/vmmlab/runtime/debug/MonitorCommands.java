package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.metrics.CounterKey;
import io.vmmlab.runtime.board.VirtMachine;

import java.util.Locale;
import java.util.Map;

/**
 * GDB's {@code monitor} commands ({@code qRcmd}): the VMM's side of a held guest, which the guest's own registers and
 * memory do not show. {@code monitor counters [GROUP]} lists the run's counters so far (exits, traps, hypercalls,
 * page walks: what a comparison prices), {@code monitor harts} each hart's state as the board holds it.
 */
final class MonitorCommands {
    private final VirtMachine machine;
    private final Hypervisor hypervisor;

    MonitorCommands(VirtMachine machine, Hypervisor hypervisor) {
        this.machine = machine;
        this.hypervisor = hypervisor;
    }

    /**
     * Answers a command.
     *
     * @param command the text after {@code monitor}
     * @return what to show the user, one or more lines
     */
    String answer(String command) {
        String[] words = command.trim().split("\\s+");
        return switch (words[0]) {
            case "counters" -> counters(words.length > 1 ? words[1] : "");
            case "harts" -> harts();
            case "help", "" -> """
                    monitor counters [GROUP]  the run's counters so far (all, or one group's: exit, trap, mmio, ...)
                    monitor harts             each hart: guest pc, privilege, virtual mode, instructions retired
                    """;
            default -> "unknown monitor command '" + words[0] + "' (try: monitor help)\n";
        };
    }

    private String counters(String group) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<CounterKey, Long> counter : machine.counters().snapshot().byQualifiedName()) {
            if (counter.getValue() != 0 && (group.isEmpty() || counter.getKey().group().equals(group))) {
                text.append(String.format("%-40s %,d%n", counter.getKey().qualifiedName(), counter.getValue()));
            }
        }
        return text.length() > 0 ? text.toString() : "no counters" + (group.isEmpty() ? "" : " in " + group) + "\n";
    }

    private String harts() {
        StringBuilder text = new StringBuilder();
        for (Hart hart : machine.harts()) {
            text.append(String.format("hart %d (thread %d): pc 0x%x, %s%s, %,d instructions%n", hart.hartId(),
                    StopReply.threadId(hart.hartId()), hypervisor.guestPc(hart, hart.pc()),
                    hart.privilege().name().toLowerCase(Locale.ROOT), hart.virtualMode() ? " (virtual)" : "",
                    hart.instructionsRetired()));
        }
        return text.toString();
    }
}
