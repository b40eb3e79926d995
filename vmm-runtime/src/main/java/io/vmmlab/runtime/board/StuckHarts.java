package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.Hart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The harts taken out of the run because they can make no progress ({@link VirtMachine#parkStuckHart}), by hart id,
 * with the reason the first of them gave. Read and written by the run loop's thread only.
 */
final class StuckHarts {
    private static final Logger log = LoggerFactory.getLogger(StuckHarts.class);

    private final boolean[] parked;
    private String firstReason;

    StuckHarts(int harts) {
        this.parked = new boolean[harts];
    }

    void park(Hart hart, String reason) {
        if (parked[hart.hartId()]) {
            return;
        }
        parked[hart.hartId()] = true;
        if (firstReason == null) {
            firstReason = reason;
        }
        hart.requestExit();
        if (parked.length > 1) {
            log.warn("{}; it runs no more, the other harts go on", reason);
        }
    }

    boolean isParked(Hart hart) {
        return parked[hart.hartId()];
    }

    Optional<String> firstReason() {
        return Optional.ofNullable(firstReason);
    }
}
