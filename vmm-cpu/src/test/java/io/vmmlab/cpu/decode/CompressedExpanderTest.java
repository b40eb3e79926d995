package io.vmmlab.cpu.decode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

final class CompressedExpanderTest {

    @ParameterizedTest(name = "0x{0} expands to 0x{1}")
    @CsvSource({
        // compressed, 32-bit equivalent (from GNU objdump of the same instruction in both forms)
        "0001, 00000013",  // c.nop -> addi x0, x0, 0
        "0505, 00150513",  // c.addi a0, 1
        "4501, 00000513",  // c.li a0, 0
        "852e, 00b00533",  // c.mv a0, a1
        "952e, 00b50533",  // c.add a0, a1
        "8082, 00008067",  // c.ret -> jalr x0, 0(ra)
        "9002, 00100073",  // c.ebreak
        "6505, 00001537",  // c.lui a0, 1
        "1141, ff010113",  // c.addi16sp sp, -16
        "0028, 00810513",  // c.addi4spn a0, sp, 8
        "6108, 00053503",  // c.ld a0, 0(a0)
        "2500, 00853407",  // c.fld fs0, 8(a0) (the decoder makes FLD illegal without D)
        "a89c, 00f4b827",  // c.fsd fa5, 16(s1)
        "20e2, 01813087",  // c.fldsp ft1, 24(sp)
        "b04a, 03213027",  // c.fsdsp fs2, 32(sp)
    })
    void expandsToTheEquivalentInstruction(String compressed, String expected) {
        int result = CompressedExpander.expand(Integer.parseInt(compressed, 16));
        assertThat(Integer.toHexString(result)).isEqualTo(expected.replaceFirst("^0+(?!$)", ""));
    }

    @ParameterizedTest(name = "reserved 0x{0}")
    @CsvSource({
        "0000",  // c.addi4spn with nzuimm = 0 (and the all-zero instruction)
        "6001",  // c.lui x0, 0
        "6501",  // c.lui a0, 0
        "6101",  // c.addi16sp with imm 0
        "8002",  // c.jr x0
        "4002",  // c.lwsp x0
        "8000",  // quadrant 0 funct3 100 reserved
        "9c41",  // funct6=100111 with funct2=10: reserved in RV64C
    })
    void reservedEncodingsExpandToZero(String compressed) {
        assertThat(CompressedExpander.expand(Integer.parseInt(compressed, 16))).isZero();
    }
}
