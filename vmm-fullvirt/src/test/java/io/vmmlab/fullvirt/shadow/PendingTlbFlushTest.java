package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.cpu.testing.FakeMachines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * The shadow MMU asks the harts to drop only what its change made stale: the range a guest PTE covered, the writes
 * to a page that became a page table, or everything when the shadows go or too much changed.
 */
final class PendingTlbFlushTest {
    private static final long RAM = FakeMachine.RAM_BASE;
    private static final long ROOT = RAM + 0x10000;
    private static final long LEVEL1 = RAM + 0x11000;
    private static final long LEVEL0 = RAM + 0x12000;
    private static final long DATA = RAM + 0x20000;
    private static final long GUEST_SATP = 8L << 60 | ROOT >>> 12;
    private static final long KERNEL_RW = 0xc7;
    private static final int KERNEL = ShadowMmu.view(true, false, false);

    private final FakeMachine machine = FakeMachines.withInterpreterHart("rv64imac", 1 << 20, 1 << 20);
    private final ShadowMmu shadow = new ShadowMmu(machine.physicalMemory(), machine.memory(), machine.mmio(),
            new ShadowFrameAllocator(machine.physicalMemory(), machine.vmmMemory().orElseThrow()), 1,
            machine.counters());
    private final Hart hart = mock(Hart.class);

    /** va 0xc000_0000 + n pages maps DATA + n pages through a level-1 and a level-0 table; the rest is identity. */
    private void guestTables() {
        write(ROOT + 2 * 8, (RAM >>> 12) << 10 | 0xcf); // 0x8000_0000, 1 GiB, RWX
        write(ROOT + 3 * 8, (LEVEL1 >>> 12) << 10 | Pte.V);
        write(LEVEL1, (LEVEL0 >>> 12) << 10 | Pte.V);
        for (int page = 0; page < 8; page++) {
            write(LEVEL0 + page * 8L, ((DATA >>> 12) + page) << 10 | KERNEL_RW);
        }
    }

    private void write(long address, long value) {
        machine.memory().write64(address, value);
    }

    private void fill(long va, int access) {
        assertThat(shadow.resolve(GUEST_SATP, KERNEL, va, access).kind()).isEqualTo(ShadowFault.Kind.FILLED);
    }

    @Test
    void aLeafPteWriteAsksForItsPageOnly() {
        guestTables();
        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        fill(0xc000_6000L, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().clear();

        shadow.writeTraced(LEVEL0 + 5 * 8, 8, 0);
        shadow.pendingFlush().applyTo(hart);

        verify(hart).flushTranslations(0xc000_5000L, 0x1000);
        verifyNoMoreInteractions(hart);
    }

    @Test
    void aLevelOnePteWriteAsksForItsTwoMebibytes() {
        guestTables();
        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().clear();

        shadow.writeTraced(LEVEL1, 8, 0);
        shadow.pendingFlush().applyTo(hart);

        verify(hart).flushTranslations(0xc000_0000L, 0x20_0000);
        verifyNoMoreInteractions(hart);
    }

    @Test
    void aRootPteWriteAsksForEverything() {
        guestTables();
        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().clear();

        shadow.writeTraced(ROOT + 3 * 8, 8, 0);
        shadow.pendingFlush().applyTo(hart);

        verify(hart).flushTranslations();
        verifyNoMoreInteractions(hart);
    }

    /** A page written as data (so mapped writable) that a walk then uses as a table: its writes are revoked. */
    @Test
    void aPageThatBecomesATableHasItsWritesRevoked() {
        guestTables();
        fill(LEVEL0, GuestPageTableWalker.STORE); // through the identity gigapage
        shadow.pendingFlush().clear();

        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().applyTo(hart);

        verify(hart).revokeWrite(LEVEL0);
        verifyNoMoreInteractions(hart);
    }

    /**
     * A page that stops being a table (flooded with stores) keeps its read-only shadow entries, so that a later change
     * of a guest PTE that maps it still finds the entry and asks for that page's translations to go (a hart may still
     * hold it).
     */
    @Test
    void aPteChangeAfterUnshadowingStillAsksForItsPage() {
        guestTables();
        long table = DATA + 0x5000; // mapped at 0xc000_5000, and used as a level-0 table below
        long otherLevel1 = RAM + 0x13000;
        write(ROOT + 4 * 8, (otherLevel1 >>> 12) << 10 | Pte.V);
        write(otherLevel1, (table >>> 12) << 10 | Pte.V);
        write(table, ((DATA + 0x7000) >>> 12) << 10 | KERNEL_RW);
        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        fill(0x1_0000_0000L, GuestPageTableWalker.LOAD);
        for (int i = 1; shadow.tracker().isTracked(table); i++) {
            shadow.writeTraced(table + 8 * (i % 512), 8, i);
        }
        shadow.pendingFlush().clear();

        shadow.writeTraced(LEVEL0 + 5 * 8, 8, ((DATA + 0x6000) >>> 12) << 10 | KERNEL_RW);
        shadow.pendingFlush().applyTo(hart);

        verify(hart).flushTranslations(0xc000_5000L, 0x1000);
        verifyNoMoreInteractions(hart);
    }

    /** A fork write-protects many pages, often the same ones again: each page is revoked once. */
    @Test
    void aPageIsRevokedOnce() {
        PendingTlbFlush flush = new PendingTlbFlush();
        for (int i = 0; i < 3 * PendingTlbFlush.CAPACITY; i++) {
            flush.revokeWrite(RAM + (i % 2) * 0x1000L);
        }

        flush.applyTo(hart);

        verify(hart).revokeWrite(RAM);
        verify(hart).revokeWrite(RAM + 0x1000);
        verifyNoMoreInteractions(hart);
    }

    @Test
    void nothingChangedAsksForNothing() {
        guestTables();
        fill(0xc000_5000L, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().clear();

        fill(0xc000_6000L, GuestPageTableWalker.LOAD);
        shadow.writeTraced(LEVEL0 + 7 * 8, 8, 0); // a PTE no shadow entry came from

        assertThat(shadow.pendingFlush().isEmpty()).isTrue();
        shadow.pendingFlush().applyTo(hart);
        verifyNoInteractions(hart);
    }

    @Test
    void droppingEveryShadowAsksForEverything() {
        shadow.resetAll("test");
        shadow.pendingFlush().applyTo(hart);

        verify(hart).flushTranslations();
        verifyNoMoreInteractions(hart);
    }

    /** Past its capacity, or past a TLB's worth of pages, a list would cost more than it saves. */
    @Test
    void tooManyRangesOrPagesBecomeEverything() {
        PendingTlbFlush flush = new PendingTlbFlush();
        for (int i = 0; i < PendingTlbFlush.CAPACITY; i++) {
            flush.range(i * 0x1000L, 0x1000);
        }
        assertThat(flush.isEverything()).isFalse();
        flush.range(0x40_0000L, 0x1000);
        assertThat(flush.isEverything()).isTrue();

        flush.clear();
        assertThat(flush.isEmpty()).isTrue();
        flush.range(0, 0x20_0000);
        flush.range(0x20_0000, 0x20_0000);
        assertThat(flush.isEverything()).as("1024 pages").isFalse();
        flush.range(0x40_0000, 0x1000);
        assertThat(flush.isEverything()).isTrue();

        flush.clear();
        for (int i = 0; i <= PendingTlbFlush.CAPACITY; i++) {
            flush.revokeWrite(RAM + i * 0x1000L);
        }
        assertThat(flush.isEverything()).isTrue();
        flush.applyTo(hart);
        verify(hart).flushTranslations();
        verifyNoMoreInteractions(hart);
    }

    /** The range is passed on as given: the shadow MMU makes it canonical for its tree's depth. */
    @Test
    void rangesArePassedOnAsGiven() {
        PendingTlbFlush flush = new PendingTlbFlush();
        flush.range(0xffff_ffff_c000_0000L, 0x1000);

        flush.applyTo(hart);

        verify(hart).flushTranslations(0xffff_ffff_c000_0000L, 0x1000);
    }
}
