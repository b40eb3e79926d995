package io.vmmlab.devices;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.device.HartInterruptLines;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A test fake: the harts' interrupt inputs as recording lines. */
public final class FakeHarts implements HartInterruptLines {
    private final List<Map<HartInterrupt, RecordingInterruptLine>> lines;

    public FakeHarts(int hartCount) {
        this.lines = IntStream.range(0, hartCount).mapToObj(hart -> {
            Map<HartInterrupt, RecordingInterruptLine> byInterrupt = new EnumMap<>(HartInterrupt.class);
            for (HartInterrupt interrupt : HartInterrupt.values()) {
                byInterrupt.put(interrupt, new RecordingInterruptLine());
            }
            return byInterrupt;
        }).toList();
    }

    @Override
    public int hartCount() {
        return lines.size();
    }

    @Override
    public RecordingInterruptLine line(int hartId, HartInterrupt interrupt) {
        return lines.get(hartId).get(interrupt);
    }
}
