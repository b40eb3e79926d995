package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.Pte;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/** The debugger's view of memory: virtual addresses through the hart's Sv39 tables, guest RAM only. */
final class GuestAddressSpaceTest {
    private static final long RAM = 0x8000_0000L;
    private final FlatRam memory = new FlatRam(RAM, 4 << 20);
    private final Hart hart = mock(Hart.class);
    private final GuestAddressSpace space = new GuestAddressSpace(memory,
            mock(Hypervisor.class, withSettings().defaultAnswer(CALLS_REAL_METHODS)));

    @Test
    void machineModeAndBareSeePhysicalAddresses() {
        memory.write32(RAM + 0x100, 0x1234_5678);
        when(hart.privilege()).thenReturn(PrivilegeMode.MACHINE);

        assertThat(space.read(hart, RAM + 0x100, 4)).containsExactly(0x78, 0x56, 0x34, 0x12);
        assertThat(space.read(hart, 0x1000_0000L, 4)).as("a device window").isNull();
    }

    @Test
    void sv39PagesAndSuperpagesTranslateWhateverTheirPermissions() {
        long root = RAM + 0x10_0000;
        long middle = RAM + 0x10_1000;
        long leaves = RAM + 0x10_2000;
        long va = 0xffff_ffc0_0000_3000L; // VPN[2] 256, VPN[1] 0, VPN[0] 3
        memory.write64(root + 256 * 8, Pte.entry(middle, Pte.V));
        memory.write64(middle, Pte.entry(leaves, Pte.V));
        memory.write64(leaves + 3 * 8, Pte.entry(RAM + 0x20_0000, Pte.V | Pte.X)); // execute-only, supervisor
        memory.write64(middle + 8, Pte.entry(RAM, Pte.V | Pte.R)); // 2 MiB superpage at VPN[1] 1
        memory.write32(RAM + 0x20_0010, 0xcafe_f00d);
        memory.write32(RAM + 0x1234, 0x0bad_beef);
        when(hart.privilege()).thenReturn(PrivilegeMode.SUPERVISOR);
        when(hart.readCsr(CsrNumbers.SATP)).thenReturn(8L << 60 | root >>> 12);

        assertThat(space.read(hart, va + 0x10, 4)).as("an execute-only page").containsExactly(0x0d, 0xf0, 0xfe, 0xca);
        assertThat(space.read(hart, 0xffff_ffc0_0020_1234L, 4)).as("superpage").containsExactly(0xef, 0xbe, 0xad, 0x0b);
        assertThat(space.read(hart, 0xffff_ffc0_0000_4000L, 4)).as("unmapped").isNull();
        assertThat(space.read(hart, 0x0000_0040_0000_0000L, 4)).as("not sign-extended").isNull();
        assertThat(space.readPrefix(hart, va + 0xffc, 8)).as("up to the unmapped page").hasSize(4);
        assertThat(space.instruction(hart, va + 0x10)).as("a compressed parcel").hasValue(0xf00d);
        assertThat(space.write(hart, va + 0xffc, new byte[8])).as("runs into an unmapped page: nothing written")
                .isFalse();
        assertThat(memory.read32(RAM + 0x20_0ffc)).isZero();
        assertThat(space.read(hart, va + 0x10, 4)).containsExactly(0x0d, 0xf0, 0xfe, 0xca);
    }
}
