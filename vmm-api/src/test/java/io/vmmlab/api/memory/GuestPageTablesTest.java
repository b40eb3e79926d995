package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The VMM's own look-ups in a guest's Sv39 tables: pages, superpages, the permissions asked for, what maps nothing. */
final class GuestPageTablesTest {
    private static final long RAM = 0x8000_0000L;
    private static final long ROOT = RAM + 0x10_0000;
    private static final long MIDDLE = RAM + 0x10_1000;
    private static final long LEAVES = RAM + 0x10_2000;
    private static final long SATP = 8L << 60 | ROOT >>> 12;
    private static final long VA = 0xffff_ffc0_0000_3000L; // VPN[2] 256, VPN[1] 0, VPN[0] 3
    private final FlatRam memory = new FlatRam(RAM, 4 << 20);

    GuestPageTablesTest() {
        memory.write64(ROOT + 256 * 8, Pte.entry(MIDDLE, Pte.V));
        memory.write64(MIDDLE, Pte.entry(LEAVES, Pte.V));
        memory.write64(LEAVES + 3 * 8, Pte.entry(RAM + 0x20_0000, Pte.V | Pte.X)); // execute-only
        memory.write64(LEAVES + 4 * 8, Pte.entry(RAM + 0x20_1000, Pte.V | Pte.R)); // read-only
        memory.write64(LEAVES + 5 * 8, Pte.entry(RAM + 0x20_2000, Pte.V | Pte.W)); // W without R: reserved
        memory.write64(MIDDLE + 8, Pte.entry(RAM, Pte.V | Pte.R)); // 2 MiB superpage at VPN[1] 1
        memory.write64(MIDDLE + 16, Pte.entry(RAM + 0x1000, Pte.V | Pte.R)); // a misaligned one at VPN[1] 2
    }

    @Test
    void pagesAndSuperpagesTranslate() {
        assertThat(GuestPageTables.physical(memory, SATP, VA + 0x10, 0)).isEqualTo(RAM + 0x20_0010);
        assertThat(GuestPageTables.physical(memory, SATP, 0xffff_ffc0_0020_1234L, 0)).as("superpage")
                .isEqualTo(RAM + 0x1234);
        assertThat(GuestPageTables.physical(memory, 0, 0x8000_1234L, Pte.X)).as("Bare").isEqualTo(0x8000_1234L);
    }

    @Test
    void whatMapsNothing() {
        assertThat(GuestPageTables.physical(memory, SATP, 0xffff_ffc0_0000_6000L, 0)).as("unmapped").isEqualTo(-1);
        assertThat(GuestPageTables.physical(memory, SATP, 0x0000_0040_0000_0000L, 0)).as("not sign-extended")
                .isEqualTo(-1);
        assertThat(GuestPageTables.physical(memory, SATP, VA + 0x2000, 0)).as("W without R").isEqualTo(-1);
        assertThat(GuestPageTables.physical(memory, SATP, 0xffff_ffc0_0040_0000L, 0)).as("misaligned superpage")
                .isEqualTo(-1);
        assertThat(GuestPageTables.physical(memory, 8L << 60 | 0x1_0000, VA, 0)).as("root outside memory")
                .isEqualTo(-1);
    }

    @Test
    void onlyThePermissionsAskedForCount() {
        assertThat(GuestPageTables.physical(memory, SATP, VA + 0x1000, Pte.X)).as("read-only, X asked").isEqualTo(-1);
        assertThat(GuestPageTables.physical(memory, SATP, VA + 0x1000, 0)).isEqualTo(RAM + 0x20_1000);
        memory.write32(RAM + 0x20_0000, 0x0000_0513); // li a0, 0
        memory.write16(RAM + 0x20_0004, 0x4501); // c.li a0, 0

        assertThat(GuestPageTables.instruction(memory, SATP, VA, Pte.X)).hasValue(0x0000_0513);
        assertThat(GuestPageTables.instruction(memory, SATP, VA + 4, Pte.X)).hasValue(0x4501);
        assertThat(GuestPageTables.instruction(memory, SATP, VA + 0x1000, Pte.X)).as("not executable").isEmpty();
    }
}
