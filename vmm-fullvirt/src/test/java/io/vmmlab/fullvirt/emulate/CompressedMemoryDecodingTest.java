package io.vmmlab.fullvirt.emulate;

import io.vmmlab.cpu.decode.CompressedExpander;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every compressed load and store the VMM decodes (to emulate a device access or a traced page-table write, and to
 * check that the instruction in memory is the one whose access faulted) decodes as its 32-bit expansion by the
 * hart's own expander does: same kind, width, registers and offset. A wrong offset would now make the VMM refuse
 * the access (the address it computes would not be the faulting one).
 */
final class CompressedMemoryDecodingTest {
    @Test
    void everyCompressedMemoryInstructionDecodesAsItsExpansion() {
        int checked = 0;
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 3) == 3) {
                continue;
            }
            MemoryInstruction compressed = InstructionDecoder.decodeMemory(bits);
            int expanded = CompressedExpander.expand(bits);
            MemoryInstruction full = expanded == 0 ? null : InstructionDecoder.decodeMemory(expanded);
            if (compressed == null) {
                assertThat(full).as("0x%04x expands to a memory instruction the VMM does not decode", bits).isNull();
                continue;
            }
            assertThat(full).as("0x%04x", bits).isNotNull();
            assertThat(compressed.kind()).as("0x%04x kind", bits).isEqualTo(full.kind());
            assertThat(compressed.size()).as("0x%04x size", bits).isEqualTo(full.size());
            assertThat(compressed.rs1()).as("0x%04x rs1", bits).isEqualTo(full.rs1());
            assertThat(compressed.offset()).as("0x%04x offset", bits).isEqualTo(full.offset());
            if (compressed.writes()) {
                assertThat(compressed.rs2()).as("0x%04x rs2", bits).isEqualTo(full.rs2());
            } else {
                assertThat(compressed.rd()).as("0x%04x rd", bits).isEqualTo(full.rd());
                assertThat(compressed.signed()).as("0x%04x signed", bits).isEqualTo(full.signed());
            }
            assertThat(compressed.length()).isEqualTo(2);
            checked++;
        }
        assertThat(checked).isGreaterThan(10_000);
    }
}
