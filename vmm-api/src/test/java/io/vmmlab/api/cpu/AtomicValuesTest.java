package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

final class AtomicValuesTest {
    private static final int SWAP = 0b00001;
    private static final int ADD = 0b00000;
    private static final int XOR = 0b00100;
    private static final int AND = 0b01100;
    private static final int OR = 0b01000;
    private static final int MIN = 0b10000;
    private static final int MAX = 0b10100;
    private static final int MINU = 0b11000;
    private static final int MAXU = 0b11100;

    @Test
    void eachFunctionOnDoublewords() {
        assertThat(AtomicValues.amo(SWAP, 8, 5, 9)).isEqualTo(9);
        assertThat(AtomicValues.amo(ADD, 8, Long.MAX_VALUE, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(AtomicValues.amo(XOR, 8, 0b1100, 0b1010)).isEqualTo(0b0110);
        assertThat(AtomicValues.amo(AND, 8, 0b1100, 0b1010)).isEqualTo(0b1000);
        assertThat(AtomicValues.amo(OR, 8, 0b1100, 0b1010)).isEqualTo(0b1110);
        assertThat(AtomicValues.amo(MIN, 8, -1, 1)).isEqualTo(-1);
        assertThat(AtomicValues.amo(MAX, 8, -1, 1)).isEqualTo(1);
        assertThat(AtomicValues.amo(MINU, 8, -1, 1)).isEqualTo(1);
        assertThat(AtomicValues.amo(MAXU, 8, -1, 1)).isEqualTo(-1);
    }

    /** Words: rs2's low 32 bits, signed for MIN/MAX and unsigned for MINU/MAXU, whatever its upper half holds. */
    @Test
    void wordsUseTheOperandsLowHalf() {
        long operand = 0x1234_5678_ffff_fffeL; // -2 as a word
        assertThat(AtomicValues.amo(SWAP, 4, 0, operand)).isEqualTo(-2);
        assertThat(AtomicValues.amo(MIN, 4, 3, operand)).isEqualTo(-2);
        assertThat(AtomicValues.amo(MINU, 4, 3, operand)).isEqualTo(3);
        assertThat(AtomicValues.amo(MAXU, 4, 3, operand)).isEqualTo(-2);
        assertThat((int) AtomicValues.amo(ADD, 4, Integer.MAX_VALUE, 1)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void loadReservedAndStoreConditionalAreNotAmos() {
        assertThatThrownBy(() -> AtomicValues.amo(0b00010, 8, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicValues.amo(0b00011, 8, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * perform reads and writes inside the hart's atomic section and gives rd the old value, sign-extended for a word
     * whatever the read left above its 32 bits.
     */
    @Test
    void performReadsAndWritesUnderTheHartsLock() {
        Hart hart = mock(Hart.class);
        List<String> events = new ArrayList<>();
        doAnswer(call -> {
            events.add("lock");
            call.getArgument(0, Runnable.class).run();
            events.add("unlock");
            return null;
        }).when(hart).atomically(any());

        long rd = AtomicValues.perform(hart, ADD, 4, 3, () -> {
            events.add("read");
            return 0x1_ffff_fffeL;
        }, value -> events.add("write " + (int) value));

        assertThat(rd).isEqualTo(-2);
        assertThat(events).containsExactly("lock", "read", "write 1", "unlock");
        verify(hart).atomically(any());
    }
}
