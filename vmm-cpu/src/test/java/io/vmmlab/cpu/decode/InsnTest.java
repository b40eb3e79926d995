package io.vmmlab.cpu.decode;

import io.vmmlab.cpu.testing.Blocks;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class InsnTest {

    /** The longest block's END marker has the largest index and offset an instruction can have. */
    @Test
    void theLongestBlockKeepsItsIndicesAndOffsets() {
        int[] words = new int[Block.MAX_INSTRUCTIONS];
        for (int i = 0; i < words.length; i++) {
            words[i] = addi(A0, A0, i);
        }

        Block block = Blocks.ofWords(0, words);

        assertThat(block.insns).hasSize(Block.MAX_INSTRUCTIONS + 1);
        Insn end = block.insns[Block.MAX_INSTRUCTIONS];
        assertThat(end.op).isEqualTo((byte) Opcodes.END);
        assertThat((int) end.index).isEqualTo(Block.MAX_INSTRUCTIONS);
        assertThat((int) end.offset).isEqualTo(4 * Block.MAX_INSTRUCTIONS);
        assertThat(block.insns[Block.MAX_INSTRUCTIONS - 1].imm).isEqualTo(Block.MAX_INSTRUCTIONS - 1);
        assertThat((int) block.insns[3].rd).isEqualTo(A0);
    }

    @Test
    void fieldsOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new Insn(128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Insn(0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Insn(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 << 15, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
