package io.vmmlab.cpu.decode;

import static io.vmmlab.cpu.decode.BitManipEncoding.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Decodes every Zba, Zbb, Zbc and Zbs instruction from its bits as GNU as (binutils 2.40,
 * {@code -march=rv64gc_zba_zbb_zbc_zbs})
 * encodes it, with {@code a0, a1, a2} as rd, rs1, rs2: each becomes {@link Opcodes#BITMANIP} with its selector and
 * shift amount, and is illegal on a hart without its extension.
 */
final class BitManipDecodingTest {
    /** {instruction bits, selector, shift amount, extension (0 Zba, 1 Zbb, 2 Zbs, 3 Zbc)}. */
    private static final int[][] ENCODINGS = {
        {0x08c5853b, ADD_UW, 0, 0}, {0x20c5a533, SH1ADD, 0, 0}, {0x20c5c533, SH2ADD, 0, 0},
        {0x20c5e533, SH3ADD, 0, 0}, {0x20c5a53b, SH1ADD_UW, 0, 0}, {0x20c5c53b, SH2ADD_UW, 0, 0},
        {0x20c5e53b, SH3ADD_UW, 0, 0}, {0x0a55951b, SLLI_UW, 37, 0},
        {0x40c5f533, ANDN, 0, 1}, {0x40c5e533, ORN, 0, 1}, {0x40c5c533, XNOR, 0, 1}, {0x60059513, CLZ, 0, 1},
        {0x6005951b, CLZW, 0, 1}, {0x60159513, CTZ, 0, 1}, {0x6015951b, CTZW, 0, 1}, {0x60259513, CPOP, 0, 1},
        {0x6025951b, CPOPW, 0, 1}, {0x0ac5e533, MAX, 0, 1}, {0x0ac5f533, MAXU, 0, 1}, {0x0ac5c533, MIN, 0, 1},
        {0x0ac5d533, MINU, 0, 1}, {0x60459513, SEXT_B, 0, 1}, {0x60559513, SEXT_H, 0, 1},
        {0x0805c53b, ZEXT_H, 0, 1}, {0x60c59533, ROL, 0, 1}, {0x60c5953b, ROLW, 0, 1}, {0x60c5d533, ROR, 0, 1},
        {0x62d5d513, RORI, 45, 1}, {0x60d5d51b, RORIW, 13, 1}, {0x60c5d53b, RORW, 0, 1},
        {0x2875d513, ORC_B, 0, 1}, {0x6b85d513, REV8, 0, 1},
        {0x48c59533, BCLR, 0, 2}, {0x4bf59513, BCLRI, 63, 2}, {0x48c5d533, BEXT, 0, 2}, {0x4a15d513, BEXTI, 33, 2},
        {0x68c59533, BINV, 0, 2}, {0x68759513, BINVI, 7, 2}, {0x28c59533, BSET, 0, 2}, {0x2b259513, BSETI, 50, 2},
        {0x0ac59533, CLMUL, 0, 3}, {0x0ac5b533, CLMULH, 0, 3}, {0x0ac5a533, CLMULR, 0, 3},
    };

    private static InstructionDecoder decoder(boolean zba, boolean zbb, boolean zbc, boolean zbs) {
        return new InstructionDecoder(true, true, true, false, false, false,
                new BitManipEncoding(zba, zbb, zbc, zbs));
    }

    @Test
    void everyEncodingDecodesToItsSelectorAndShiftAmount() {
        InstructionDecoder decoder = decoder(true, true, true, true);
        assertThat(ENCODINGS.length).isEqualTo(BitManipEncoding.COUNT);
        for (int[] encoding : ENCODINGS) {
            long decoded = decoder.decode(encoding[0]);
            int word = (int) decoded;
            String name = String.format("%08x", encoding[0]);
            assertThat(Opcodes.op(word)).as(name).isEqualTo(Opcodes.BITMANIP);
            assertThat((int) (decoded >>> 32)).as(name).isEqualTo(encoding[1] << 6 | encoding[2]);
            assertThat(Opcodes.rd(word)).as(name).isEqualTo(10);
            assertThat(Opcodes.rs1(word)).as(name).isEqualTo(11);
            boolean unary = (encoding[0] & 0x7f) == 0x13 || (encoding[0] & 0x7f) == 0x1b || encoding[1] == ZEXT_H;
            assertThat(Opcodes.rs2(word)).as(name).isEqualTo(unary ? 0 : 12);
        }
    }

    @Test
    void eachExtensionDecodesOnlyItsOwnInstructions() {
        for (int present = 0; present < 4; present++) {
            InstructionDecoder decoder = decoder(present == 0, present == 1, present == 3, present == 2);
            for (int[] encoding : ENCODINGS) {
                int op = Opcodes.op((int) decoder.decode(encoding[0]));
                assertThat(op).as("%08x with extension %d", encoding[0], present)
                        .isEqualTo(encoding[3] == present ? Opcodes.BITMANIP : Opcodes.ILLEGAL);
            }
        }
        for (int[] encoding : ENCODINGS) {
            assertThat(Opcodes.op((int) new InstructionDecoder(true, true, true, false).decode(encoding[0])))
                    .isEqualTo(Opcodes.ILLEGAL);
        }
    }

    @Test
    void theBaseInstructionsAroundThemStayAsTheyWere() {
        InstructionDecoder decoder = decoder(true, true, true, true);
        // sub, sra, srai a0,a1,63, slli a0,a1,63, addiw, sraiw a0,a1,31, mul, add
        int[][] base = {{0x40c58533, Opcodes.SUB}, {0x40c5d533, Opcodes.SRA}, {0x43f5d513, Opcodes.SRAI},
            {0x03f59513, Opcodes.SLLI}, {0x0015851b, Opcodes.ADDIW}, {0x41f5d51b, Opcodes.SRAIW},
            {0x02c58533, Opcodes.MUL}, {0x00c58533, Opcodes.ADD}};
        for (int[] instruction : base) {
            assertThat(Opcodes.op((int) decoder.decode(instruction[0]))).as("%08x", instruction[0])
                    .isEqualTo(instruction[1]);
        }
        // Reserved neighbours: zext.h with rs2 != 0, clz's funct12 + 3, slli.uw's funct6 with funct3 5.
        for (int reserved : new int[] {0x0815c53b, 0x60359513, 0x0a55d51b}) {
            assertThat(Opcodes.op((int) decoder.decode(reserved))).as("%08x", reserved).isEqualTo(Opcodes.ILLEGAL);
        }
    }
}
