package io.vmmlab.cpu.testing;

import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.decode.InstructionDecoder;

/** Decoded blocks built from instruction words, for tests of the decoder's users. */
public final class Blocks {
    private Blocks() {
    }

    /**
     * Decodes a block of 4-byte RV64IMAC instructions that starts at a parcel of its page.
     *
     * @param startSlot the block's first 2-byte parcel in its page
     * @param words the instructions
     * @return the block
     */
    public static Block ofWords(int startSlot, int... words) {
        InstructionDecoder decoder = new InstructionDecoder(true, true, true, false);
        long[] decoded = new long[words.length];
        int[] offsets = new int[words.length + 1];
        for (int i = 0; i < words.length; i++) {
            decoded[i] = decoder.decode(words[i]);
            offsets[i + 1] = offsets[i] + 4;
        }
        return new Block(decoded, offsets, words.length, startSlot, true);
    }
}
