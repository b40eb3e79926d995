package io.vmmlab.api.sbi;

import java.util.Arrays;

/**
 * The SBI Hart State Management view of every hart (SBI spec v2.0, chapter 9): which harts run and which wait
 * for {@code sbi_hart_start}. Every hart starts stopped. A helper for {@link SbiPlatform} implementations, which
 * all keep the same table.
 */
public final class HartStatusTable {
    private final HartStatus[] status;

    /**
     * Creates the table with every hart stopped.
     *
     * @param hartCount how many harts the board has
     */
    public HartStatusTable(int hartCount) {
        if (hartCount < 0) {
            throw new IllegalArgumentException("hartCount is negative: " + hartCount);
        }
        this.status = new HartStatus[hartCount];
        Arrays.fill(status, HartStatus.STOPPED);
    }

    /**
     * Returns how many harts the table holds.
     *
     * @return the number of harts
     */
    public int hartCount() {
        return status.length;
    }

    /**
     * Returns a hart's state, as {@code sbi_hart_get_status} reports it.
     *
     * @param hartId the hart
     * @return its state
     */
    public HartStatus status(int hartId) {
        return status[hartId];
    }

    /**
     * Tells whether a hart runs.
     *
     * @param hartId the hart
     * @return true once started and until stopped
     */
    public boolean isStarted(int hartId) {
        return status[hartId] == HartStatus.STARTED;
    }

    /**
     * Records that a hart runs.
     *
     * @param hartId the hart
     */
    public void markStarted(int hartId) {
        status[hartId] = HartStatus.STARTED;
    }

    /**
     * Tells whether any hart runs.
     *
     * @return true while one is started
     */
    public boolean anyStarted() {
        for (HartStatus hart : status) {
            if (hart == HartStatus.STARTED) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records that a hart stopped.
     *
     * @param hartId the hart
     */
    public void markStopped(int hartId) {
        status[hartId] = HartStatus.STOPPED;
    }
}
