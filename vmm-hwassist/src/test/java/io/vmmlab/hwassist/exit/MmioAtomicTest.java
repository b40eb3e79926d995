package io.vmmlab.hwassist.exit;

import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Decoding an atomic from htinst ({@link MmioAtomic}): the transformed instruction is the AMO with rs1 = 0. */
final class MmioAtomicTest {
    /** The transformed form: the instruction with its rs1 field (the address offset) cleared. */
    private static long transformed(int instruction) {
        return instruction & ~(31 << 15) & 0xffff_ffffL;
    }

    @Test
    void decodesAmosLrAndScOfBothWidths() {
        assertThat(MmioAtomic.decode(transformed(amo(0x01, false, A3, S2, A4))))
                .contains(new MmioAtomic(0x01, 4, A3, A4));
        assertThat(MmioAtomic.decode(transformed(amo(0x1c, true, A5, S2, T1))))
                .contains(new MmioAtomic(0x1c, 8, A5, T1));
        assertThat(MmioAtomic.decode(transformed(amo(MmioAtomic.LOAD_RESERVED, true, A3, S2, 0))))
                .hasValueSatisfying(atomic -> assertThat(atomic.writes()).isFalse());
        assertThat(MmioAtomic.decode(transformed(amo(MmioAtomic.STORE_CONDITIONAL, false, A3, S2, A4))))
                .hasValueSatisfying(atomic -> assertThat(atomic.writes()).isTrue());
    }

    @Test
    void refusesWhatIsNotAWholeAtomicWithAZeroOffset() {
        int amoswap = amo(0x01, false, A3, S2, A4);
        assertThat(MmioAtomic.decode(0)).isEmpty();
        assertThat(MmioAtomic.decode(amoswap & 0xffff_ffffL)).as("rs1 (the address offset) not zero").isEmpty();
        assertThat(MmioAtomic.decode(transformed(amoswap) | 1L << 32)).as("bits 63:32").isEmpty();
        assertThat(MmioAtomic.decode(transformed(amoswap) & ~2L)).as("a compressed form").isEmpty();
        assertThat(MmioAtomic.decode(transformed(amoswap) & ~(7L << 12) | 1L << 12)).as("funct3 1").isEmpty();
        assertThat(MmioAtomic.decode(transformed(amoswap) & ~(31L << 27) | 0b00110L << 27)).as("funct5 6").isEmpty();
        assertThat(MmioAtomic.decode(transformed(amo(MmioAtomic.LOAD_RESERVED, true, A3, S2, A4))))
                .as("LR with rs2").isEmpty();
        assertThat(MmioAtomic.decode(transformed(lw(A3, S2, 0)))).as("a load").isEmpty();
    }
}
