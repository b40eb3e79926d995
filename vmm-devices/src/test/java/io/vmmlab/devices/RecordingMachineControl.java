package io.vmmlab.devices;

import io.vmmlab.api.device.MachineControl;

import java.util.ArrayList;
import java.util.List;

/** Test fake: records power-off codes and resets. */
public final class RecordingMachineControl implements MachineControl {
    private final List<String> requests = new ArrayList<>();

    @Override
    public synchronized void powerOff(int code) {
        requests.add("power-off " + code);
    }

    @Override
    public synchronized void reset() {
        requests.add("reset");
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }
}
