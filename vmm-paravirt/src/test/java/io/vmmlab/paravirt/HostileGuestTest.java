package io.vmmlab.paravirt;

import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.hypervisor.ExitAction;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.hypercall.Hypercall;
import io.vmmlab.paravirt.hypercall.PvError;
import io.vmmlab.paravirt.paging.Sv39;
import org.junit.jupiter.api.Test;

import static io.vmmlab.paravirt.PvGuestHarness.CODE;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_BASE;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_SIZE;
import static io.vmmlab.paravirt.PvGuestHarness.REQUESTS;
import static io.vmmlab.paravirt.PvGuestHarness.SHARED;
import static io.vmmlab.paravirt.PvGuestHarness.UART;
import static io.vmmlab.paravirt.PvGuestHarness.VECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile PV guest kernel against the VMM: argument pointers that straddle the end of RAM or wrap around 2^64,
 * aliases of page tables, tables pinned twice or unpinned while referenced, device writes into pinned tables, and
 * calls the ABI says must fail. Each attack runs on the real hart.
 */
final class HostileGuestTest {
    private static final long ROOT = RAM_BASE + 0x12000;
    private static final long CODE_LEAVES = RAM_BASE + 0x13000;
    private static final long CODE_MIDDLE = RAM_BASE + 0x14000;
    private static final long USER_LEAVES = RAM_BASE + 0x15000;
    private static final long USER_MIDDLE = RAM_BASE + 0x16000;
    private static final long DATA = RAM_BASE + 0x20000;
    private static final long FRAME = RAM_BASE + 0x4000;
    private static final long TARGET_VA = CODE + 0x5000;
    private static final long RW = Pte.V | Pte.R | Pte.W | Pte.U | Pte.A | Pte.D;
    private static final long RO = Pte.V | Pte.R | Pte.U | Pte.A;
    private static final int SD_T1_0_T0 = 0x0062_b023;
    private static final int T0 = 5;
    private static final int T1 = 6;

    /** A guest in its own address space: the code page (with the vector) mapped read-only and executable. */
    private static PvGuestHarness inOwnAddressSpace(PvGuestHarness guest) {
        for (long[] pin : new long[][] {{CODE_LEAVES, 0}, {CODE_MIDDLE, 1}, {USER_LEAVES, 0}, {USER_MIDDLE, 1},
                {ROOT, 2}}) {
            assertThat(guest.call(Hypercall.PIN_TABLE, pin[0], pin[1]).error()).isZero();
        }
        long[][] updates = {
            {CODE_LEAVES + 8 * Sv39.index(CODE, 0), Pte.entry(CODE, RO | Pte.X)},
            {CODE_MIDDLE + 8 * Sv39.index(CODE, 1), Pte.entry(CODE_LEAVES, Pte.V)},
            {ROOT + 8 * Sv39.index(CODE, 2), Pte.entry(CODE_MIDDLE, Pte.V)},
            {USER_MIDDLE, Pte.entry(USER_LEAVES, Pte.V)},
            {ROOT, Pte.entry(USER_MIDDLE, Pte.V)},
        };
        for (long[] update : updates) {
            assertThat(guest.update(update[0], update[1]).error()).isZero();
        }
        assertThat(guest.call(Hypercall.NEW_BASEPTR, ROOT).error()).isZero();
        return guest;
    }

    /** Makes the guest kernel store t1 at the virtual address t0, at its current pc. */
    private static void storeAt(PvGuestHarness guest, long virtualAddress, long value) {
        guest.hart.setRegister(T0, virtualAddress);
        guest.hart.setRegister(T1, value);
        guest.physical.write32(guest.hart.pc(), SD_T1_0_T0);
        guest.hart.flushCaches();
        guest.runToExit();
    }

    @Test
    void aDeviceWriteIntoAPinnedTableCannotMapTheVmmRegion() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long vmmPage = guest.vmmRange.base();
        long before = guest.physical.read64(vmmPage);
        long entry = CODE_LEAVES + 8 * Sv39.index(TARGET_VA, 0);

        guest.machine.dmaWrite64(entry, Pte.entry(vmmPage, RW));   // a disk read the guest aimed at its own table
        storeAt(guest, TARGET_VA, 0x1234);

        assertThat(guest.physical.read64(vmmPage)).as("the VMM's boot root").isEqualTo(before);
        assertThat(guest.memory.read64(entry)).as("the device's write is undone").isZero();
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).as("store page fault").isEqualTo(15);
        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
    }

    @Test
    void aDeviceWriteIntoAPinnedRootCannotReachTheUserViewOrTheKernelHalf() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long validated = guest.memory.read64(ROOT + 8 * Sv39.index(CODE, 2));

        guest.machine.dmaWrite64(ROOT + 8 * Sv39.index(CODE, 2), Pte.entry(RAM_BASE, RW));   // a 1 GiB superpage
        guest.machine.dmaWrite64(ROOT + 8, Pte.entry(USER_MIDDLE, Pte.V));   // user half: copied to no view

        assertThat(guest.memory.read64(ROOT + 8 * Sv39.index(CODE, 2))).isEqualTo(validated);
        assertThat(guest.memory.read64(ROOT + 8)).isZero();
        assertThat(guest.call(Hypercall.UNPIN_TABLE, USER_MIDDLE).error()).isZero();
        assertThat(guest.memory.read64(ROOT)).as("detached").isZero();
        assertThat(guest.update(CODE_LEAVES + 8 * Sv39.index(TARGET_VA, 0), Pte.entry(USER_MIDDLE, RW)).error())
                .as("no longer a table anywhere").isZero();
    }

    @Test
    void aDeviceWriteIntoOrdinaryMemoryIsLeftAlone() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());

        guest.machine.dmaWrite64(DATA, 0x1234);

        assertThat(guest.memory.read64(DATA)).isEqualTo(0x1234);
    }

    @Test
    void returningToUserModeBeforeATrapVectorExistsIsRefused() {
        PvGuestHarness guest = new PvGuestHarness();
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, SHARED).error()).isZero();
        inOwnAddressSpace(guest);
        guest.memory.write64(FRAME, 0x1000);

        PvGuestHarness.Result result = guest.call(Hypercall.IRET, FRAME, 1);

        assertThat(result.error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.hart.pc()).as("still in the kernel, past the IRET").isNotEqualTo(0x1000);
        assertThat(guest.call(Hypercall.VERSION).error()).isZero();
    }

    @Test
    void pointersThatStraddleTheEndOfRamOrWrapAroundAreRefused() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long ramEnd = RAM_BASE + RAM_SIZE;

        assertThat(guest.call(Hypercall.MMU_UPDATE, ramEnd - 16 * 511, 512).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.MMU_UPDATE, -16L * 256, 512).error()).as("wraps to 0")
                .isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.IRET, ramEnd - 8 * 31, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.IRET, -8L * 16, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.CONSOLE_WRITE, -8L, 4096).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.CONSOLE_WRITE, ramEnd, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.CONSOLE_WRITE, RAM_BASE, -1).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.PIN_TABLE, ramEnd, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.PIN_TABLE, -Sv39.PAGE_SIZE, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.UNPIN_TABLE, -Sv39.PAGE_SIZE).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, -Sv39.PAGE_SIZE).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.MMIO_READ, -8L, 8).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.call(Hypercall.MMIO_WRITE, UART + 0xf8, 16, 0).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void aRequestOutsideRamInsideABatchStopsItThere() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        guest.memory.write64(REQUESTS, CODE_LEAVES + 8 * Sv39.index(DATA, 0));
        guest.memory.write64(REQUESTS + 8, Pte.entry(DATA, RW));
        guest.memory.write64(REQUESTS + 16, -8L);
        guest.memory.write64(REQUESTS + 24, 0);

        PvGuestHarness.Result result = guest.call(Hypercall.MMU_UPDATE, REQUESTS, 2);

        assertThat(result.error()).isEqualTo(PvError.EFAULT);
        assertThat(result.value()).isEqualTo(1);
    }

    @Test
    void aTableCannotBePinnedAtTwoLevelsNorPointToItself() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_LEAVES, 0).error()).isZero();

        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_LEAVES, 1).error()).isEqualTo(PvError.EEXIST);
        guest.memory.write64(CODE_MIDDLE, Pte.entry(CODE_MIDDLE, Pte.V));
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_MIDDLE, 1).error()).as("points to itself")
                .isEqualTo(PvError.EINVAL);
        guest.memory.write64(CODE_MIDDLE, Pte.entry(CODE_LEAVES, Pte.V));
        guest.memory.write64(CODE_MIDDLE + 8, Pte.entry(CODE_MIDDLE, RO));
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_MIDDLE, 1).error()).as("a 2 MiB leaf")
                .isEqualTo(PvError.EINVAL);
        guest.memory.write64(CODE_MIDDLE + 8, 0);
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_MIDDLE, 1).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_MIDDLE, 2).error()).isEqualTo(PvError.EEXIST);
    }

    @Test
    void aWritableAliasCannotBeMadeInOneBatchAndPinnedAfter() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long alias = CODE_LEAVES + 8 * Sv39.index(TARGET_VA, 0);
        long[][] batch = {
            {alias, Pte.entry(DATA, RW)},
            {CODE_LEAVES + 8 * Sv39.index(DATA, 0), Pte.entry(DATA, RW)},
            {CODE_MIDDLE + 8, Pte.entry(DATA, Pte.V)},
        };
        for (int index = 0; index < batch.length; index++) {
            guest.memory.write64(REQUESTS + 16L * index, batch[index][0]);
            guest.memory.write64(REQUESTS + 16L * index + 8, batch[index][1]);
        }

        PvGuestHarness.Result result = guest.call(Hypercall.MMU_UPDATE, REQUESTS, batch.length);

        assertThat(result.error()).as("DATA is no table").isEqualTo(PvError.EINVAL);
        assertThat(result.value()).isEqualTo(2);
        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).as("two writable mappings")
                .isEqualTo(PvError.EBUSY);
        assertThat(guest.update(alias, 0).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).as("still one").isEqualTo(PvError.EBUSY);
    }

    @Test
    void anUnpinnedTableIsDetachedEverywhereBeforeItCanBeWritten() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long secondRoot = RAM_BASE + 0x17000;
        guest.memory.write64(secondRoot, Pte.entry(USER_MIDDLE, Pte.V));
        assertThat(guest.call(Hypercall.PIN_TABLE, secondRoot, 2).error()).isZero();

        assertThat(guest.call(Hypercall.UNPIN_TABLE, USER_MIDDLE).error()).isZero();

        assertThat(guest.memory.read64(ROOT)).as("the current root").isZero();
        assertThat(guest.memory.read64(secondRoot)).as("another root").isZero();
        assertThat(guest.update(CODE_LEAVES + 8 * Sv39.index(TARGET_VA, 0), Pte.entry(USER_MIDDLE, RW)).error())
                .isZero();
        assertThat(guest.update(ROOT, Pte.entry(USER_MIDDLE, Pte.V)).error()).as("writable now: no table")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.PIN_TABLE, USER_MIDDLE, 1).error()).isEqualTo(PvError.EBUSY);
    }

    @Test
    void theRootCannotBeUnpinnedOrSwitchedToAnUnpinnedOne() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());

        assertThat(guest.call(Hypercall.UNPIN_TABLE, ROOT).error()).isEqualTo(PvError.EBUSY);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, DATA).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, ROOT + 8).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, guest.vmmRange.base()).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, ROOT).error()).as("already registered")
                .isEqualTo(PvError.EEXIST);
    }

    @Test
    void aStoreThroughAStaleTranslationOfANewlyPinnedPageFaults() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long entry = CODE_LEAVES + 8 * Sv39.index(TARGET_VA, 0);
        assertThat(guest.update(entry, Pte.entry(DATA, RW)).error()).isZero();
        storeAt(guest, TARGET_VA, 2);   // the hart now caches TARGET_VA -> DATA, writable (2: an invalid entry)
        assertThat(guest.memory.read64(DATA)).isEqualTo(2);
        guest.hart.setPc(CODE + 0x100);

        assertThat(guest.update(entry, Pte.entry(DATA, RO)).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).isZero();
        storeAt(guest, TARGET_VA, Pte.entry(guest.vmmRange.base(), RW));

        assertThat(guest.memory.read64(DATA)).isEqualTo(2);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).isEqualTo(15);
    }

    @Test
    void aUserTrapAfterAnIretIsBouncedNeverLost() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        guest.memory.write64(FRAME, 0x1000);
        guest.memory.write64(SHARED + SharedInfoPage.SCRATCH, FRAME);
        assertThat(guest.call(Hypercall.IRET, FRAME, 1).action()).isEqualTo(ExitAction.RESUME);

        guest.runToExit();   // nothing is mapped at 0x1000 in the user half

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).as("instruction page fault")
                .isEqualTo(12);
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void theUserViewPoolRunsOutCleanly() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long firstRoot = RAM_BASE + 0x100000;
        int pinned = 0;
        while (guest.call(Hypercall.PIN_TABLE, firstRoot + Sv39.PAGE_SIZE * pinned, 2).error() == 0) {
            pinned++;
        }
        long refused = firstRoot + Sv39.PAGE_SIZE * pinned;

        assertThat(guest.hart.register(10)).isEqualTo(PvError.ENOMEM);
        assertThat(pinned).as("at least 64").isGreaterThanOrEqualTo(64);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, refused).error()).as("not pinned").isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.UNPIN_TABLE, refused).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.UNPIN_TABLE, firstRoot).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, refused, 2).error()).as("its view is free again").isZero();
    }

    @Test
    void aPinnedTableCannotBecomeTheSharedPage() {
        PvGuestHarness guest = new PvGuestHarness();
        assertThat(guest.call(Hypercall.PIN_TABLE, CODE_LEAVES, 0).error()).isZero();

        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, CODE_LEAVES).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.call(Hypercall.REGISTER_SHARED_PAGE, SHARED).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, SHARED, 0).error()).isEqualTo(PvError.EPERM);
    }

    @Test
    void aDeviceKeepsTheAccessedAndDirtyBitsOfALeafButNothingElse() {
        PvGuestHarness guest = inOwnAddressSpace(new PvGuestHarness().booted());
        long leaf = CODE_LEAVES + 8 * Sv39.index(DATA, 0);
        long validated = Pte.entry(DATA, Pte.V | Pte.R | Pte.W | Pte.U);
        assertThat(guest.update(leaf, validated).error()).isZero();
        long middle = CODE_MIDDLE + 8 * Sv39.index(CODE, 1);
        long pointer = guest.memory.read64(middle);

        guest.machine.dmaWrite64(leaf, validated | Pte.A | Pte.D);   // what the hart would have set
        guest.machine.dmaWrite64(middle, pointer | Pte.A);             // reserved in a non-leaf

        assertThat(guest.memory.read64(leaf)).isEqualTo(validated | Pte.A | Pte.D);
        assertThat(guest.memory.read64(middle)).isEqualTo(pointer);
    }

    @Test
    void iretNeverLeavesAnOddPcAsSretCannot() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.memory.write64(FRAME, CODE + 0x101);

        guest.call(Hypercall.IRET, FRAME, 0);

        assertThat(guest.hart.pc()).as("sepc bit 0 is always 0").isEqualTo(CODE + 0x100);
    }

    @Test
    void anMmioAccessTheDeviceRefusesIsEfault() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long plic = 0x0c00_0000L;
        guest.machine.mmio().map("plic", new AddressRange(plic, 0x1000), new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                throw new MemoryAccessException(plic + offset, "32-bit registers only");
            }

            @Override
            public void write(long offset, int size, long value) {
                throw new MemoryAccessException(plic + offset, "32-bit registers only");
            }
        });

        assertThat(guest.call(Hypercall.MMIO_READ, plic, 8).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.call(Hypercall.MMIO_WRITE, plic, 8, 1).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.machine.outcome()).isEmpty();
    }

    @Test
    void aGuestStoreToEventsPendingIsOverwrittenAtTheNextExit() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        guest.memory.write64(SHARED + SharedInfoPage.EVENTS_PENDING, 1L << 9 | 1L << 5);
        guest.memory.write64(SHARED + SharedInfoPage.EVENTS_MASK, 0);

        guest.call(Hypercall.YIELD);

        assertThat(guest.memory.read64(SHARED + SharedInfoPage.EVENTS_PENDING)).as("nothing is pending").isZero();
        assertThat(guest.counter("upcall", "device")).isZero();
        assertThat(guest.hart.pc()).isNotEqualTo(VECTOR);
    }
}
