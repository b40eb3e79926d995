package io.vmmlab.fullvirt.shadow;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.fullvirt.shadow.GuestPageTableWalker.GuestTranslation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guest walk, and its allocation-free form for address-only look-ups ({@link GuestPageTableWalker#physical}),
 * which must give the same address or fault as {@link GuestPageTableWalker#walk} in every case.
 */
class GuestPageTableWalkerTest {
    private static final long RAM = 0x8000_0000L;
    private static final long ROOT = RAM + 0x1000;
    private static final long MIDDLE = RAM + 0x2000;
    private static final long LEAVES = RAM + 0x3000;
    private static final long SATP = 8L << 60 | ROOT >>> 12;
    private static final long RWX = Pte.V | Pte.R | Pte.W | Pte.X;

    private final FlatRam ram = new FlatRam(RAM, 1 << 20);
    private final GuestPageTableWalker walker = new GuestPageTableWalker(ram);

    GuestPageTableWalkerTest() {
        // 0x4000_0000: a 1 GiB superpage at RAM; 0x0: table -> table -> 4 KiB leaves.
        ram.write64(ROOT + 8, Pte.entry(RAM, RWX));
        ram.write64(ROOT, Pte.entry(MIDDLE, Pte.V));
        ram.write64(MIDDLE, Pte.entry(LEAVES, Pte.V));
        ram.write64(LEAVES + 8, Pte.entry(RAM + 0x8000, Pte.V | Pte.R | Pte.X)); // va 0x1000: kernel code
        ram.write64(LEAVES + 16, Pte.entry(RAM + 0x9000, Pte.V | Pte.R | Pte.U)); // va 0x2000: user data
        ram.write64(LEAVES + 24, Pte.entry(RAM + 0xa000, Pte.V | Pte.W)); // va 0x3000: W without R, reserved
        ram.write64(MIDDLE + 8, Pte.entry(RAM + 0x1000, RWX)); // va 0x20_0000: a misaligned 2 MiB superpage
        ram.write64(ROOT + 16, Pte.entry(0x1_0000_0000L, Pte.V)); // va 0x8000_0000: a table outside RAM
    }

    @Test
    void bothFormsAgreeOnEveryCase() {
        long[] addresses = {0x1000, 0x1ffe, 0x2000, 0x3000, 0x4000, 0x20_0000, 0x4000_1234L, 0x8000_0000L,
            0x40_0000_0000L, -0x1000L};
        long[] satps = {SATP, 0};
        for (long satp : satps) {
            for (long va : addresses) {
                for (int access : new int[] {GuestPageTableWalker.FETCH, GuestPageTableWalker.LOAD,
                    GuestPageTableWalker.STORE}) {
                    for (boolean user : new boolean[] {false, true}) {
                        GuestTranslation walked = walker.walk(satp, va, access, user, false, false, false);
                        long physical = walker.physical(satp, va, access, user, false, false, false);
                        String context = String.format("satp %x va %x access %d user %b", satp, va, access, user);
                        if (satp == 0 && va < 0) {
                            assertThat(physical).as(context).isEqualTo(-1 - GuestPageTableWalker.accessFault(access));
                        } else if (walked.allowed()) {
                            assertThat(physical).as(context).isEqualTo(walked.guestPhysical());
                        } else {
                            assertThat(physical).as(context).isEqualTo(-1L - walked.fault());
                        }
                    }
                }
            }
        }
    }

    @Test
    void theWalkReportsWhatItVisited() {
        GuestTranslation leaf = walker.walk(SATP, 0x1234, GuestPageTableWalker.FETCH, false, false, false, false);
        GuestTranslation superpage = walker.walk(SATP, 0x4000_1234L, GuestPageTableWalker.LOAD, false, false, false,
                false);
        GuestTranslation bare = walker.walk(0, 0x8000_1000L, GuestPageTableWalker.LOAD, false, false, false, false);

        assertThat(leaf.guestPhysical()).isEqualTo(RAM + 0x8234);
        assertThat(leaf.leafLevel()).isZero();
        assertThat(leaf.tables()).containsExactly(ROOT, MIDDLE, LEAVES);
        assertThat(superpage.guestPhysical()).isEqualTo(RAM + 0x1234);
        assertThat(superpage.leafLevel()).isEqualTo(2);
        assertThat(superpage.tables()).containsExactly(ROOT);
        assertThat(bare.allowed()).isTrue();
        assertThat(bare.guestPhysical()).isEqualTo(0x8000_1000L);
        assertThat(bare.tables()).isEmpty();
    }

    @Test
    void faultsNameTheirCause() {
        assertThat(walker.physical(SATP, 0x3000, GuestPageTableWalker.LOAD, false, false, false, false))
                .isEqualTo(-1 - TrapCause.LOAD_PAGE_FAULT);
        assertThat(walker.physical(SATP, 0x2000, GuestPageTableWalker.LOAD, false, false, false, false))
                .as("a user page from the kernel without SUM").isEqualTo(-1 - TrapCause.LOAD_PAGE_FAULT);
        assertThat(walker.physical(SATP, 0x2000, GuestPageTableWalker.LOAD, false, true, false, false))
                .isEqualTo(RAM + 0x9000);
        assertThat(walker.physical(SATP, 0x8000_0000L, GuestPageTableWalker.FETCH, false, false, false, false))
                .isEqualTo(-1 - TrapCause.INSTRUCTION_ACCESS_FAULT);
    }

    @Test
    void anAccessSetsTheAccessedAndDirtyBitsWhenAsked() {
        walker.physical(SATP, 0x1000, GuestPageTableWalker.FETCH, false, false, false, false);
        assertThat(ram.read64(LEAVES + 8) & Pte.A).isZero();

        walker.physical(SATP, 0x1000, GuestPageTableWalker.FETCH, false, false, false, true);
        walker.physical(SATP, 0x4000_0000L, GuestPageTableWalker.STORE, false, false, false, true);

        assertThat(ram.read64(LEAVES + 8) & (Pte.A | Pte.D)).isEqualTo(Pte.A);
        assertThat(ram.read64(ROOT + 8) & (Pte.A | Pte.D)).isEqualTo(Pte.A | Pte.D);
    }
}
