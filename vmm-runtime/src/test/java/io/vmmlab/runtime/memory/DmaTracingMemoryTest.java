package io.vmmlab.runtime.memory;

import io.vmmlab.api.memory.GuestMemoryView;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

final class DmaTracingMemoryTest {
    private static final long BASE = 0x8000_0000L;
    private static final int GUEST = 0x4000;
    private static final int VMM = 0x1000;

    private final FlatRam ram = new FlatRam(BASE, GUEST + VMM);
    private final DmaTracingMemory dma = new DmaTracingMemory(new GuestMemoryView(ram, new AddressRange(BASE, GUEST)));
    private final List<long[]> writes = new ArrayList<>();

    DmaTracingMemoryTest() {
        dma.addListener((address, length) -> writes.add(new long[] {address, length}));
    }

    @Test
    void everyDeviceWriteIsReportedAfterItLanded() {
        List<Long> seen = new ArrayList<>();
        dma.addListener((address, length) -> seen.add(ram.read64(address)));

        dma.write64(BASE + 8, 0x1122_3344_5566_7788L);
        dma.write16(BASE + 0x100, 7);
        dma.write(BASE + 0x200, new byte[300], 0, 300);

        assertThat(writes).extracting(write -> write[0], write -> write[1]).containsExactly(
                tuple(BASE + 8, 8L), tuple(BASE + 0x100, 2L),
                tuple(BASE + 0x200, 300L));
        assertThat(seen.get(0)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void readsAreNotReported() {
        dma.read64(BASE);
        dma.read(BASE, new byte[16], 0, 16);

        assertThat(writes).isEmpty();
    }

    @Test
    void aDescriptorPointingIntoVmmMemoryNeverReachesIt() {
        long vmmAddress = BASE + GUEST;
        ram.write64(vmmAddress, 42);

        assertThatThrownBy(() -> dma.write64(vmmAddress, 0xdead)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> dma.write(vmmAddress - 8, new byte[16], 0, 16))
                .isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> dma.read64(vmmAddress)).isInstanceOf(MemoryAccessException.class);

        assertThat(ram.read64(vmmAddress)).isEqualTo(42);
        assertThat(writes).isEmpty();
    }
}
