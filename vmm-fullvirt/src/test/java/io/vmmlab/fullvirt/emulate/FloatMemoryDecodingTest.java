package io.vmmlab.fullvirt.emulate;

import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.FloatAssembler.cFld;
import static io.vmmlab.cpu.testing.FloatAssembler.cFldsp;
import static io.vmmlab.cpu.testing.FloatAssembler.cFsd;
import static io.vmmlab.cpu.testing.FloatAssembler.cFsdsp;
import static io.vmmlab.cpu.testing.FloatAssembler.fld;
import static io.vmmlab.cpu.testing.FloatAssembler.flw;
import static io.vmmlab.cpu.testing.FloatAssembler.fsw;
import static org.assertj.core.api.Assertions.assertThat;

/** The VMM's decoding of FP loads and stores (32-bit and compressed), which it emulates for devices and traces. */
final class FloatMemoryDecodingTest {
    @Test
    void decodesFloatingPointLoads() {
        assertThat(InstructionDecoder.decodeMemory(flw(5, 10, -8)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_LOAD, 4, false, 5, 10, 0, -8, 0, 4));
        assertThat(InstructionDecoder.decodeMemory(fld(31, 2, 2040)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_LOAD, 8, false, 31, 2, 0, 2040, 0, 4));
        assertThat(InstructionDecoder.decodeMemory(cFld(9, 8, 200)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_LOAD, 8, false, 9, 8, 0, 200, 0, 2));
        assertThat(InstructionDecoder.decodeMemory(cFldsp(20, 488)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_LOAD, 8, false, 20, 2, 0, 488, 0, 2));
        assertThat(InstructionDecoder.decodeMemory(fld(1, 2, 0)).writes()).isFalse();
    }

    @Test
    void decodesFloatingPointStores() {
        assertThat(InstructionDecoder.decodeMemory(fsw(7, 11, 12)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_STORE, 4, false, 0, 11, 7, 12, 0, 4));
        assertThat(InstructionDecoder.decodeMemory(cFsd(15, 8, 248)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_STORE, 8, false, 0, 8, 15, 248, 0, 2));
        assertThat(InstructionDecoder.decodeMemory(cFsdsp(3, 504)))
                .isEqualTo(new MemoryInstruction(MemoryInstruction.Kind.FLOAT_STORE, 8, false, 0, 2, 3, 504, 0, 2));
    }
}
