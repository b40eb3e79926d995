package io.vmmlab.runtime.run;

import java.time.Duration;

/**
 * When the run loop gives up on a guest.
 *
 * @param maxInstructions total guest instructions over all harts; 0 for no limit
 * @param timeout wall time; zero for no limit
 */
public record RunLimits(long maxInstructions, Duration timeout) {
}
