package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
    /**
     * On a device, LR loads through the hart's reservation (rd sign-extended for a word), SC writes rs2 only when the
     * hart's reservation holds (rd 0 or 1), and an AMO is performed under the harts' lock (rd the old value).
     */
    @Test
    void onDeviceGoesThroughTheHartsReservationForLrAndSc() {
        Hart hart = mock(Hart.class);
        List<String> events = new ArrayList<>();
        doAnswer(call -> call.getArgument(2, LongSupplier.class).getAsLong())
                .when(hart).loadReserved(anyLong(), anyInt(), any());
        doAnswer(call -> {
            call.getArgument(0, Runnable.class).run();
            return null;
        }).when(hart).atomically(any());
        LongSupplier read = () -> {
            events.add("read");
            return 0xffff_fffeL;
        };
        LongConsumer write = value -> events.add("write " + Long.toHexString(value));

        assertThat(AtomicValues.onDevice(hart, AtomicValues.LOAD_RESERVED, 0x1000_0000L, 4, 7, read, write))
                .isEqualTo(-2);
        verify(hart).loadReserved(eq(0x1000_0000L), eq(4), any());

        when(hart.storeConditional(anyLong(), anyInt(), any())).thenReturn(false);
        assertThat(AtomicValues.onDevice(hart, AtomicValues.STORE_CONDITIONAL, 0x1000_0000L, 4, 7, read, write))
                .as("the reservation did not hold").isEqualTo(1);
        doAnswer(call -> {
            call.getArgument(2, Runnable.class).run();
            return true;
        }).when(hart).storeConditional(anyLong(), anyInt(), any());
        assertThat(AtomicValues.onDevice(hart, AtomicValues.STORE_CONDITIONAL, 0x1000_0000L, 4, 7, read, write))
                .isZero();

        assertThat(AtomicValues.onDevice(hart, ADD, 0x1000_0000L, 4, 3, read, write)).isEqualTo(-2);
        assertThat(events).containsExactly("read", "write 7", "read", "write 1");
    }
}
