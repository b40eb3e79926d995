package io.vmmlab.hwassist.gstage;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class GStageTablesTest {
    private static final long RAM = 0x8000_0000L;
    private static final long LEAF = V | R | W | X | U | A | D;

    /** Walks the tables in software, as the x4 mode does; returns the PTE that maps a guest-physical address, or 0. */
    private static long leaf(FlatRam memory, long root, long guestPhysical, AddressTranslation mode) {
        long table = root;
        int top = mode.levels() - 1;
        for (int level = top; level >= 0; level--) {
            long index = (guestPhysical >>> (12 + 9 * level)) & (level == top ? 0x7ff : 0x1ff);
            long pte = memory.read64(table + index * 8);
            if ((pte & V) == 0) {
                return 0;
            }
            if ((pte & 0xe) != 0) {
                long pageMask = (1L << (12 + 9 * level)) - 1;
                long mapped = ((pte >>> 10) << 12 & ~pageMask) | (guestPhysical & pageMask);
                return mapped == guestPhysical ? pte : -1;
            }
            table = (pte >>> 10) << 12;
        }
        return 0;
    }

    @ParameterizedTest
    @EnumSource(AddressTranslation.class)
    void guestRamIsMappedIdentityWithUserRwxAndNothingElse(AddressTranslation mode) {
        long ramSize = (4L << 20) + 0x3000;
        AddressRange ram = new AddressRange(RAM, ramSize);
        AddressRange region = new AddressRange(RAM + ramSize, 1 << 20);
        FlatRam memory = new FlatRam(RAM, (int) (ramSize + (1 << 20)));
        GStageTables tables = new GStageTables(memory, region, ram, mode);

        assertThat(tables.root() % (16 * 1024)).isZero();
        assertThat(region.contains(tables.root(), 16 * 1024)).isTrue();
        for (long address = RAM; address < RAM + ramSize; address += 0x1000) {
            assertThat(leaf(memory, tables.root(), address, mode) & 0xff).as("0x%x", address).isEqualTo(LEAF);
        }
        assertThat(leaf(memory, tables.root(), RAM + ramSize, mode)).as("the VMM region").isZero();
        assertThat(leaf(memory, tables.root(), RAM - 0x1000, mode)).isZero();
        assertThat(leaf(memory, tables.root(), 0x1000_0000L, mode)).as("devices").isZero();
        // root (4 pages) + one table per level above level 1 + one level-1 table + one level-0 table for the tail
        assertThat(tables.pages()).isEqualTo(6 + mode.levels() - 3);
        assertThat(tables.hgatp(3)).isEqualTo((long) mode.satpMode() << 60 | 3L << 44 | tables.root() >>> 12);
        assertThat(tables.isVmmMemory(tables.root())).isTrue();
        assertThat(tables.isVmmMemory(RAM)).isFalse();
    }

    @Test
    void tablesStayInsideTheVmmRegion() {
        AddressRange ram = new AddressRange(RAM, 0x5000);
        // The root is 16 KiB aligned at RAM + 0x8000; a level-1 and a level-0 table follow; not one byte more.
        AddressRange region = new AddressRange(RAM + 0x5000, 0x9000);
        FlatRam memory = new FlatRam(RAM, 0x5000 + 0x9000 + 0x1000);
        memory.write64(RAM + 0xe000, 0x1234);
        GStageTables tables = new GStageTables(memory, region, ram, AddressTranslation.SV39);
        assertThat(tables.root()).isEqualTo(RAM + 0x8000);
        assertThat(memory.read64(RAM + 0xe000)).isEqualTo(0x1234);
        assertThat(leaf(memory, tables.root(), RAM + 0x4000, AddressTranslation.SV39) & 0xff).isEqualTo(LEAF);
    }

    @Test
    void aRegionTooSmallOrOverlappingRamIsRejected() {
        FlatRam memory = new FlatRam(RAM, 1 << 20);
        AddressRange ram = new AddressRange(RAM, 0x8000);
        assertThatThrownBy(() -> new GStageTables(memory, new AddressRange(RAM + 0x8000, 0x4000), ram,
                AddressTranslation.SV39))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small");
        assertThatThrownBy(() -> new GStageTables(memory, new AddressRange(RAM + 0x4000, 0x10000), ram,
                AddressTranslation.SV39))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps");
    }
}
