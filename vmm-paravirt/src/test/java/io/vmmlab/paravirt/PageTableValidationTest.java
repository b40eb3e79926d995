package io.vmmlab.paravirt;

import io.vmmlab.api.memory.Pte;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.hypercall.Hypercall;
import io.vmmlab.paravirt.hypercall.PvError;
import io.vmmlab.paravirt.paging.Sv39;
import org.junit.jupiter.api.Test;

import static io.vmmlab.paravirt.PvGuestHarness.RAM_BASE;
import static io.vmmlab.paravirt.PvGuestHarness.REQUESTS;
import static io.vmmlab.paravirt.PvGuestHarness.SHARED;
import static io.vmmlab.paravirt.PvGuestHarness.UART;
import static org.assertj.core.api.Assertions.assertThat;

/** Direct paging: what the VMM accepts and every refusal, on the real hart. */
final class PageTableValidationTest {
    private static final long LEAF_TABLE = RAM_BASE + 0x10000;
    private static final long MIDDLE_TABLE = RAM_BASE + 0x11000;
    private static final long ROOT = RAM_BASE + 0x12000;
    private static final long DATA = RAM_BASE + 0x20000;
    private static final long RW = Pte.V | Pte.R | Pte.W | Pte.U | Pte.A | Pte.D;
    private static final long RO = Pte.V | Pte.R | Pte.U | Pte.A;

    private static PvGuestHarness withTables() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        assertThat(guest.call(Hypercall.PIN_TABLE, LEAF_TABLE, 0).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, MIDDLE_TABLE, 1).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, ROOT, 2).error()).isZero();
        return guest;
    }

    @Test
    void validUpdatesAreAppliedInOneBatch() {
        PvGuestHarness guest = withTables();
        long[][] batch = {
            {ROOT + 8, Pte.entry(MIDDLE_TABLE, Pte.V)},
            {MIDDLE_TABLE, Pte.entry(LEAF_TABLE, Pte.V)},
            {LEAF_TABLE, Pte.entry(DATA, RW)},
            {LEAF_TABLE + 8, Pte.entry(LEAF_TABLE, RO)},
        };
        for (int index = 0; index < batch.length; index++) {
            guest.memory.write64(REQUESTS + 16L * index, batch[index][0]);
            guest.memory.write64(REQUESTS + 16L * index + 8, batch[index][1]);
        }

        PvGuestHarness.Result result = guest.call(Hypercall.MMU_UPDATE, REQUESTS, batch.length);

        assertThat(result.error()).isZero();
        assertThat(result.value()).isEqualTo(4);
        assertThat(guest.memory.read64(LEAF_TABLE)).isEqualTo(Pte.entry(DATA, RW));
        assertThat(guest.counter("hypercall-batch", "size-2-7")).isEqualTo(1);
        assertThat(guest.counter("hypercall-batch", "entries-applied")).isEqualTo(4);
    }

    @Test
    void mappingMemoryOutsideTheGuestIsRefused() {
        PvGuestHarness guest = withTables();

        assertThat(guest.update(LEAF_TABLE, Pte.entry(UART, RW)).error()).as("device space").isEqualTo(PvError.EPERM);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(guest.vmmRange.base(), RO)).error()).as("the VMM's region")
                .isEqualTo(PvError.EPERM);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(0x4000_0000L, RO)).error()).as("unbacked")
                .isEqualTo(PvError.EPERM);
        assertThat(guest.memory.read64(LEAF_TABLE)).isZero();
    }

    @Test
    void mappingAPageTableWritableIsRefusedButReadOnlyIsFine() {
        PvGuestHarness guest = withTables();

        assertThat(guest.update(LEAF_TABLE, Pte.entry(ROOT, RW)).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(LEAF_TABLE, RW)).error()).as("itself").isEqualTo(PvError.EPERM);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(ROOT, RO)).error()).isZero();
    }

    @Test
    void pinningAPageThatIsMappedWritableIsRefused() {
        PvGuestHarness guest = withTables();
        assertThat(guest.update(LEAF_TABLE, Pte.entry(DATA, RW)).error()).isZero();

        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).isEqualTo(PvError.EBUSY);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(DATA, RO)).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).isZero();
    }

    @Test
    void pinningATableWithABadEntryIsRefused() {
        PvGuestHarness guest = withTables();
        guest.memory.write64(DATA + 16, Pte.entry(guest.vmmRange.base(), RW));

        assertThat(guest.call(Hypercall.PIN_TABLE, DATA, 0).error()).isEqualTo(PvError.EPERM);
        assertThat(guest.call(Hypercall.PIN_TABLE, LEAF_TABLE, 0).error()).isEqualTo(PvError.EEXIST);
        assertThat(guest.call(Hypercall.PIN_TABLE, SHARED, 0).error()).as("the shared page").isEqualTo(PvError.EPERM);
    }

    @Test
    void malformedEntriesAreRefused() {
        PvGuestHarness guest = withTables();

        assertThat(guest.update(MIDDLE_TABLE, Pte.entry(0x8020_0000L, RW)).error()).as("2 MiB superpage")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(ROOT + 16, Pte.entry(RAM_BASE, RW)).error()).as("1 GiB superpage")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(MIDDLE_TABLE, Pte.entry(DATA, Pte.V)).error()).as("next level not pinned")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(ROOT, Pte.entry(LEAF_TABLE, Pte.V)).error()).as("next level of the wrong level")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(DATA, Pte.V | Pte.R | Pte.W)).error()).as("no U bit")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(DATA, Pte.V | Pte.W | Pte.U)).error()).as("W without R")
                .isEqualTo(PvError.EINVAL);
        assertThat(guest.update(LEAF_TABLE, Pte.entry(DATA, RW) | 1L << 62)).extracting(PvGuestHarness.Result::error)
                .as("reserved bits").isEqualTo(PvError.EINVAL);
        assertThat(guest.update(LEAF_TABLE + 4, Pte.entry(DATA, RW)).error()).as("misaligned")
                .isEqualTo(PvError.EINVAL);
    }

    @Test
    void writingAnyPageButAPinnedTableIsRefused() {
        PvGuestHarness guest = withTables();

        long bootRootEntry = guest.vmmRange.base() + 8 * Sv39.index(RAM_BASE, 2);
        long before = guest.physical.read64(bootRootEntry);

        assertThat(guest.update(DATA, Pte.entry(DATA, RW)).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.update(bootRootEntry, 0).error()).isEqualTo(PvError.EFAULT);
        assertThat(guest.physical.read64(bootRootEntry)).isEqualTo(before).isNotZero();
    }

    @Test
    void aBatchStopsAtTheFirstRefusalAndReportsHowFarItGot() {
        PvGuestHarness guest = withTables();
        guest.memory.write64(REQUESTS, LEAF_TABLE);
        guest.memory.write64(REQUESTS + 8, Pte.entry(DATA, RW));
        guest.memory.write64(REQUESTS + 16, LEAF_TABLE + 8);
        guest.memory.write64(REQUESTS + 24, Pte.entry(UART, RW));
        guest.memory.write64(REQUESTS + 32, LEAF_TABLE + 16);
        guest.memory.write64(REQUESTS + 40, Pte.entry(DATA, RO));

        PvGuestHarness.Result result = guest.call(Hypercall.MMU_UPDATE, REQUESTS, 3);

        assertThat(result.error()).isEqualTo(PvError.EPERM);
        assertThat(result.value()).isEqualTo(1);
        assertThat(guest.memory.read64(LEAF_TABLE + 8)).isZero();
        assertThat(guest.memory.read64(LEAF_TABLE + 16)).isZero();
        assertThat(guest.call(Hypercall.VERSION).error()).as("the VM goes on").isZero();
    }

    @Test
    void pinnedTablesAreReadOnlyToTheGuestItself() {
        PvGuestHarness guest = withTables();
        guest.hart.setRegister(5, LEAF_TABLE);
        guest.physical.write32(guest.hart.pc(), 0x0002_b023);   // sd zero, 0(t0)
        guest.hart.flushCaches();

        guest.runToExit();

        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).as("store page fault").isEqualTo(15);
    }

    @Test
    void switchingAndUnpinning() {
        PvGuestHarness guest = withTables();
        long codeLeaves = RAM_BASE + 0x13000;
        long codeMiddle = RAM_BASE + 0x14000;
        long code = PvGuestHarness.CODE;
        assertThat(guest.call(Hypercall.PIN_TABLE, codeLeaves, 0).error()).isZero();
        assertThat(guest.call(Hypercall.PIN_TABLE, codeMiddle, 1).error()).isZero();
        assertThat(guest.update(codeLeaves + 8 * Sv39.index(code, 0), Pte.entry(code, RO | Pte.X)).error()).isZero();
        assertThat(guest.update(codeMiddle + 8 * Sv39.index(code, 1), Pte.entry(codeLeaves, Pte.V)).error()).isZero();
        assertThat(guest.update(ROOT + 8 * Sv39.index(code, 2), Pte.entry(codeMiddle, Pte.V)).error()).isZero();
        assertThat(guest.update(ROOT + 8, Pte.entry(MIDDLE_TABLE, Pte.V)).error()).isZero();
        assertThat(guest.update(MIDDLE_TABLE, Pte.entry(LEAF_TABLE, Pte.V)).error()).isZero();

        assertThat(guest.call(Hypercall.NEW_BASEPTR, MIDDLE_TABLE).error()).isEqualTo(PvError.EINVAL);
        assertThat(guest.call(Hypercall.NEW_BASEPTR, ROOT).error()).isZero();
        assertThat(guest.call(Hypercall.UNPIN_TABLE, ROOT).error()).as("the current root").isEqualTo(PvError.EBUSY);
        assertThat(guest.call(Hypercall.UNPIN_TABLE, LEAF_TABLE).error()).isZero();
        assertThat(guest.memory.read64(MIDDLE_TABLE)).as("detached from its parent").isZero();
        assertThat(guest.update(LEAF_TABLE, 0).error()).as("no longer a table").isEqualTo(PvError.EINVAL);
    }
}
