package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemoryView;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.paravirt.hypercall.PvError;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** What the validator does with a device's write (DMA) that covers pinned tables, ordinary pages, or both. */
final class DeviceWriteTest {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final long RAM_SIZE = 1L << 20;
    private static final long LEAVES = RAM_BASE + 0x10000;
    private static final long MIDDLE = RAM_BASE + 0x11000;
    private static final long DATA = RAM_BASE + 0x12000;
    private static final long RO = Pte.V | Pte.R | Pte.U | Pte.A;

    private final FlatRam physical = new FlatRam(RAM_BASE, RAM_SIZE + (64L << 12));
    private final AddressRange guestRam = new AddressRange(RAM_BASE, RAM_SIZE);
    private final GuestMemoryView memory = new GuestMemoryView(physical, guestRam);
    private final PageTableValidator validator;

    DeviceWriteTest() {
        VmmPageAllocator allocator = new VmmPageAllocator(physical, new AddressRange(RAM_BASE + RAM_SIZE, 64L << 12));
        validator = new PageTableValidator(memory, new PageTableRegistry(guestRam), new UserViewRoots(allocator),
                BootAddressSpace.build(allocator, guestRam));
    }

    @Test
    void aWriteAcrossTwoPinnedTablesAndAnOrdinaryPageIsUndoneOnlyInTheTables() {
        memory.write64(LEAVES + 4088, Pte.entry(DATA, RO));
        assertThat(validator.pin(LEAVES, 0)).isEqualTo(PvError.OK);
        assertThat(validator.pin(MIDDLE, 1)).isEqualTo(PvError.OK);
        assertThat(validator.update(MIDDLE, Pte.entry(LEAVES, Pte.V))).isEqualTo(PvError.OK);
        byte[] disk = new byte[2 * 4096 + 16];
        Arrays.fill(disk, (byte) 0xff);

        memory.write(LEAVES + 4093, disk, 0, disk.length);   // from the last entry of LEAVES into DATA
        validator.deviceWrote(LEAVES + 4093, disk.length);

        assertThat(memory.read64(LEAVES + 4088)).isEqualTo(Pte.entry(DATA, RO));
        assertThat(memory.read64(MIDDLE)).isEqualTo(Pte.entry(LEAVES, Pte.V));
        for (long entry = MIDDLE + 8; entry < MIDDLE + 4096; entry += 8) {
            assertThat(memory.read64(entry)).isZero();
        }
        assertThat(memory.read8(DATA)).as("not a table: the device's bytes stay").isEqualTo(0xff);
    }

    @Test
    void aWriteIntoAnUnpinnedTableStays() {
        assertThat(validator.pin(LEAVES, 0)).isEqualTo(PvError.OK);
        assertThat(validator.unpin(LEAVES, -1)).isEqualTo(PvError.OK);

        memory.write64(LEAVES, Pte.entry(DATA, RO));
        validator.deviceWrote(LEAVES, 8);

        assertThat(memory.read64(LEAVES)).isEqualTo(Pte.entry(DATA, RO));
    }
}
