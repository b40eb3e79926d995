package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.TimeSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.Mockito.mock;

/** A device's wake-up reaches the machine's signal; one given before the machine exists is harmless. */
final class FinisherControlTest {
    private final AtomicReference<VirtMachine> machine = new AtomicReference<>();
    private final FinisherControl control = new FinisherControl(machine);

    @Test
    void aDevicesWakeUpSignalsTheMachine() {
        machine.set(new VirtMachine(List.of(), null, null, Optional.empty(), null, List.of(), mock(TimeSource.class),
                null, null));

        control.wakeUp();

        assertThat(machine.get().wakeUp().await(0)).isTrue();
    }

    @Test
    void aWakeUpBeforeTheMachineIsBuiltIsIgnored() {
        assertThatCode(control::wakeUp).doesNotThrowAnyException();
    }
}
