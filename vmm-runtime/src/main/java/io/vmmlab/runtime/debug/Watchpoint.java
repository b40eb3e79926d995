package io.vmmlab.runtime.debug;

/**
 * A watched range of guest memory and the accesses that hit it (GDB's {@code Z2} write, {@code Z3} read and
 * {@code Z4} access watchpoints).
 *
 * @param kind which accesses hit it
 * @param address the first byte (virtual)
 * @param length how many bytes
 */
record Watchpoint(Kind kind, long address, int length) {
    /** The accesses a watchpoint stops for, with the name of its stop reason. */
    enum Kind {
        /** Writes: {@code watch}. */
        WRITE("watch"),
        /** Reads: {@code rwatch}. */
        READ("rwatch"),
        /** Either: {@code awatch}. */
        ACCESS("awatch");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * Tells whether an access hits this watchpoint.
     *
     * @param access what an instruction is about to do
     * @return true when it touches the range in a way watched
     */
    boolean hitBy(MemoryAccess access) {
        boolean watched = switch (kind) {
            case WRITE -> access.writes();
            case READ -> access.reads();
            case ACCESS -> true;
        };
        return watched && access.overlaps(address, length);
    }
}
