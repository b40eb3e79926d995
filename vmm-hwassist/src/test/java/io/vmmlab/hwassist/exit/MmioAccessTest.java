package io.vmmlab.hwassist.exit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class MmioAccessTest {

    @Test
    void basicLoadsKeepRdWidthAndSignedness() {
        // lw a0, 0(x0) and lbu a1, 0(x0), as transformed (offset and rs1 zero)
        assertThat(MmioAccess.decode(0x0000_2503L)).contains(new MmioAccess(false, 4, true, 10, 4, false));
        assertThat(MmioAccess.decode(0x0000_4583L)).contains(new MmioAccess(false, 1, false, 11, 4, false));
        assertThat(MmioAccess.decode(0x0000_3503L)).contains(new MmioAccess(false, 8, true, 10, 4, false));
    }

    @Test
    void basicStoresKeepRs2AndWidth() {
        // sh a2, 0(x0)
        assertThat(MmioAccess.decode(0x00c0_1023L)).contains(new MmioAccess(true, 2, false, 12, 4, false));
    }

    @Test
    void compressedOriginalsHaveBitOneClearAndLengthTwo() {
        assertThat(MmioAccess.decode(0x0000_2501L)).contains(new MmioAccess(false, 4, true, 10, 2, false));
    }

    @Test
    void floatingPointLoadsAndStoresNameAnFRegister() {
        // flw f10, 0(x0); fld f11, 0(x0); fsw f12, 0(x0); fsd f13, 0(x0); c.fld f9, 0(x0) (bit 1 clear)
        assertThat(MmioAccess.decode(0x0000_2507L)).contains(new MmioAccess(false, 4, false, 10, 4, true));
        assertThat(MmioAccess.decode(0x0000_3587L)).contains(new MmioAccess(false, 8, false, 11, 4, true));
        assertThat(MmioAccess.decode(0x00c0_2027L)).contains(new MmioAccess(true, 4, false, 12, 4, true));
        assertThat(MmioAccess.decode(0x00d0_3027L)).contains(new MmioAccess(true, 8, false, 13, 4, true));
        assertThat(MmioAccess.decode(0x0000_3485L)).contains(new MmioAccess(false, 8, false, 9, 2, true));
        assertThat(MmioAccess.decode(0x0000_1507L)).as("funct3 1 is no FP load").isEmpty();
    }

    @Test
    void zeroPseudoinstructionsAtomicsAndHighBitsAreNotDecoded() {
        assertThat(MmioAccess.decode(0)).isEmpty();
        assertThat(MmioAccess.decode(0x3000)).as("VS-stage PTE read").isEmpty();
        assertThat(MmioAccess.decode(0x3020)).as("VS-stage PTE write").isEmpty();
        assertThat(MmioAccess.decode(0x00c5_302fL)).as("amoadd.d").isEmpty();
        assertThat(MmioAccess.decode(1L << 32 | 0x2503)).isEmpty();
        assertThat(MmioAccess.decode(0x0000_7503L)).as("funct3 7 is no load").isEmpty();
        assertThat(MmioAccess.decode(0x0002_3503L)).as("ld, second part of a split access").isEmpty();
        assertThat(MmioAccess.decode(0x00c0_9023L)).as("sh, second part of a split access").isEmpty();
    }
}
