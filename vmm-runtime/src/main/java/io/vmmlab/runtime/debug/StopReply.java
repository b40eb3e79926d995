package io.vmmlab.runtime.debug;

/**
 * GDB's stop replies (GDB manual, "Stop Reply Packets"): a signal with the thread that stopped ({@code T}), or the end
 * of the process ({@code W}). Harts are GDB's threads, numbered from 1 (hart id + 1), since GDB's thread ids 0 and
 * -1 mean "any" and "all".
 */
final class StopReply {
    /** SIGINT: the user interrupted. */
    static final int SIGINT = 2;
    /** SIGTRAP: a breakpoint or the end of a step. */
    static final int SIGTRAP = 5;

    private StopReply() {
    }

    static String signal(int signal, int hartId) {
        return String.format("T%02xthread:%x;", signal, threadId(hartId));
    }

    static String breakpoint(int hartId, boolean hardware) {
        return String.format("T%02xthread:%x;%s:;", SIGTRAP, threadId(hartId), hardware ? "hwbreak" : "swbreak");
    }

    static String watch(int hartId, Watchpoint watch) {
        return String.format("T%02xthread:%x;%s:%x;", SIGTRAP, threadId(hartId), watch.kind().reason(),
                watch.address());
    }

    static String exited(int exitCode) {
        return String.format("W%02x", exitCode & 0xff);
    }

    static int threadId(int hartId) {
        return hartId + 1;
    }
}
