package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemoryView;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.testing.SimpleCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Shadows of Sv48 and Sv57 guests: the shadow tree has the guest's depth, maps the guest's upper-half addresses
 * (which an Sv39 tree cannot reach), and a traced PTE write drops the entry and asks the harts to flush the canonical
 * address.
 */
class DeepShadowPagingTest {
    private static final long RAM = 0x8000_0000L;
    private static final long GUEST_RAM_SIZE = 1 << 20;
    private static final long DATA = RAM + 0x8_0000;
    private static final long RW = Pte.V | Pte.R | Pte.W | Pte.A | Pte.D;

    private final FlatRam physical = new FlatRam(RAM, 2 << 20);
    private final GuestMemoryView guestRam = new GuestMemoryView(physical, new AddressRange(RAM, GUEST_RAM_SIZE));
    private final ShadowMmu shadow = new ShadowMmu(physical, guestRam, mock(MmioBus.class),
            new ShadowFrameAllocator(physical, new AddressRange(RAM + GUEST_RAM_SIZE, GUEST_RAM_SIZE)), 1,
            new SimpleCounters());

    /**
     * Builds the guest's tables for a kernel-half address, one table page per level, the leaf table last.
     *
     * @return the guest's satp
     */
    private long guestTables(int levels, long va) {
        long table = RAM + 0x1000;
        long satp = (long) (levels + 5) << 60 | table >>> 12;
        for (int level = levels - 1; level > 0; level--) {
            long next = table + 0x1000;
            guestRam.write64(table + ShadowPageTable.index(va, level) * 8, Pte.entry(next, Pte.V));
            table = next;
        }
        guestRam.write64(table + ShadowPageTable.index(va, 0) * 8, Pte.entry(DATA, RW));
        return satp;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void aKernelHalfAddressIsShadowedByATreeOfTheGuestsDepth(int levels) {
        long va = AddressTranslation.canonical(-1L << (12 + 9 * levels - 1) | 0x1234_5000L, levels);
        long satp = guestTables(levels, va);
        int view = ShadowMmu.view(true, false, false);

        assertThat(shadow.resolve(satp, view, va, GuestPageTableWalker.LOAD).kind())
                .isEqualTo(ShadowFault.Kind.FILLED);

        ShadowPageTable tree = shadow.existingTable(satp, view);
        assertThat(tree.levels()).isEqualTo(levels);
        assertThat(tree.satp() >>> 60).isEqualTo(levels + 5L);
        assertThat(shadow.activate(0, satp, view) >>> 60).isEqualTo(levels + 5L);
        assertThat(Pte.address(tree.leaf(va))).isEqualTo(DATA);
        assertThat(tree.leaf(va) & Pte.U).as("the hart runs the guest in U-mode").isNotZero();
        assertThat(tree.leaf(va ^ 1L << (12 + 9 * (levels - 1)))).as("the other half of the root").isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void aGuestLeafPteWriteDropsTheEntryAndFlushesThatPage(int levels) {
        long va = AddressTranslation.canonical(-1L << (12 + 9 * levels - 1) | 0x4_0000_0000L, levels);
        long satp = guestTables(levels, va);
        int view = ShadowMmu.view(true, false, false);
        shadow.resolve(satp, view, va, GuestPageTableWalker.LOAD);
        shadow.pendingFlush().clear();
        long leafTable = RAM + 0x1000 * levels;

        shadow.writeTraced(leafTable + ShadowPageTable.index(va, 0) * 8, 8, 0);

        assertThat(shadow.existingTable(satp, view).leaf(va)).isZero();
        Hart hart = mock(Hart.class);
        shadow.pendingFlush().applyTo(hart);
        verify(hart).flushTranslations(va & ~0xfffL, 0x1000);
    }

    @Test
    void whetherAnAddressIsCanonicalDependsOnTheGuestsDepth() {
        long va = 1L << 47 | 0x1000; // bit 47 set, bits 63:48 clear: canonical only in Sv57
        int view = ShadowMmu.view(true, false, false);

        ShadowFault sv48 = shadow.resolve(guestTables(4, va), view, va, GuestPageTableWalker.LOAD);
        assertThat(sv48.kind()).isEqualTo(ShadowFault.Kind.GUEST_FAULT);
        assertThat(sv48.cause()).isEqualTo(GuestPageTableWalker.pageFault(GuestPageTableWalker.LOAD));

        long sv57 = guestTables(5, va);
        assertThat(shadow.resolve(sv57, view, va, GuestPageTableWalker.LOAD).kind())
                .isEqualTo(ShadowFault.Kind.FILLED);
        assertThat(Pte.address(shadow.existingTable(sv57, view).leaf(va))).isEqualTo(DATA);
    }

    @Test
    void canonicalSignExtendsFromTheTopBitOfTheDepth() {
        assertThat(AddressTranslation.canonical(0x7f_c000_0000L, 3)).isEqualTo(0xffff_ffff_c000_0000L);
        assertThat(AddressTranslation.canonical(0x7f_c000_0000L, 4)).isEqualTo(0x7f_c000_0000L);
        assertThat(AddressTranslation.canonical(1L << 56, 5)).isEqualTo(-1L << 56);
        assertThat(ShadowPageTable.levelsFor(0)).as("Bare: an Sv39 identity shadow").isEqualTo(3);
        assertThat(ShadowPageTable.levelsFor(10L << 60)).isEqualTo(5);
    }
}
