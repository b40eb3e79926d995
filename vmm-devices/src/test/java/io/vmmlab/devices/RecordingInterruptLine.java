package io.vmmlab.devices;

import io.vmmlab.api.device.InterruptLine;

import java.util.ArrayList;
import java.util.List;

/** A test fake: an interrupt line that remembers its level and every change. */
public final class RecordingInterruptLine implements InterruptLine {
    private final List<Boolean> history = new ArrayList<>();
    private boolean level;

    @Override
    public synchronized void set(boolean asserted) {
        level = asserted;
        history.add(asserted);
    }

    public synchronized boolean isRaised() {
        return level;
    }

    public synchronized List<Boolean> history() {
        return List.copyOf(history);
    }
}
