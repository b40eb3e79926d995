package io.vmmlab.runtime.board;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How host threads wake a run loop that waits while every hart is idle, as a halted vCPU's thread sleeps in KVM until
 * an interrupt is due: console input, a device's host-side event, a stop. A signal given while nobody waits is kept
 * for the next wait, so none is lost between the loop's last look and its wait.
 */
public final class WakeUpSignal {
    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile Thread waiter;

    /** Wakes the waiting thread, or the next one to wait. Thread-safe. */
    public void signal() {
        signalled.set(true);
        Thread thread = waiter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits until signalled or the time is up, taking the signal.
     *
     * @param nanos how long to wait at most, in nanoseconds
     * @return true when signalled, false when the time ran out
     */
    public boolean await(long nanos) {
        long end = System.nanoTime() + nanos;
        waiter = Thread.currentThread();
        try {
            while (!signalled.getAndSet(false)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
