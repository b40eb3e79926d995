package io.vmmlab.runtime.board;

import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.runtime.memory.DmaTracingMemory;
import io.vmmlab.runtime.memory.RangeMmioBus;
import io.vmmlab.runtime.metrics.MachineCounters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

final class VirtMachineTest {
    /** An SBI console read into a guest buffer, a VMM's emulated store: the harts' decoded code must hear of it. */
    @Test
    void writesThroughTheHostViewOfGuestRamAreReported() {
        FlatRam ram = new FlatRam(PlatformLayout.DRAM.base(), 1 << 16);
        VirtMachine machine = new VirtMachine(List.of(), ram, ram, Optional.empty(), new RangeMmioBus(), List.of(),
                mock(TimeSource.class), new MachineCounters(), new DmaTracingMemory(ram));
        List<String> heard = new ArrayList<>();
        machine.addHostWriteListener((address, length) -> heard.add(Long.toHexString(address) + "+" + length));
        machine.addDmaWriteListener((address, length) -> heard.add("dma"));

        machine.memory().write8(PlatformLayout.DRAM.base() + 5, 1);
        machine.memory().write(PlatformLayout.DRAM.base() + 0x100, new byte[16], 0, 16);

        assertThat(heard).containsExactly("80000005+1", "80000100+16");
        assertThat(ram.read8(PlatformLayout.DRAM.base() + 5)).isEqualTo(1);
    }
}
