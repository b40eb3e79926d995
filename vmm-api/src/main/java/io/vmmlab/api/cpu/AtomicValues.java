package io.vmmlab.api.cpu;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * What an A-extension AMO a VMM emulates stores (ISA manual, unprivileged volume, "A" extension, AMO instructions),
 * for strategies that perform a guest's AMO on a device themselves, as the hart does when it performs one.
 */
public final class AtomicValues {
    /** The funct5 of LR. */
    public static final int LOAD_RESERVED = 0b00010;
    /** The funct5 of SC. */
    public static final int STORE_CONDITIONAL = 0b00011;

    private AtomicValues() {
    }

    /**
     * Computes the memory value an AMO leaves behind.
     *
     * @param function the funct5 field (AMOSWAP, AMOADD, AMOXOR, AMOAND, AMOOR, AMOMIN, AMOMAX, AMOMINU, AMOMAXU)
     * @param size 4 or 8
     * @param old the value in memory (sign-extended for words)
     * @param operand rs2
     * @return the value to store (for words, its low 32 bits are what counts)
     * @throws IllegalArgumentException when the function is not an AMO's (LR and SC are not)
     */
    public static long amo(int function, int size, long old, long operand) {
        long source = size == 4 ? (int) operand : operand;
        return switch (function) {
            case 0b00001 -> source;
            case 0b00000 -> old + source;
            case 0b00100 -> old ^ source;
            case 0b01100 -> old & source;
            case 0b01000 -> old | source;
            case 0b10000 -> Math.min(old, source);
            case 0b10100 -> Math.max(old, source);
            case 0b11000 -> Long.compareUnsigned(widen(old, size), widen(source, size)) <= 0 ? old : source;
            case 0b11100 -> Long.compareUnsigned(widen(old, size), widen(source, size)) >= 0 ? old : source;
            default -> throw new IllegalArgumentException("not an AMO function: " + function);
        };
    }

    /**
     * Performs an AMO for the guest under the harts' atomic lock ({@link Hart#atomically}), as the hart performs its
     * own: reads the old value, writes what the AMO leaves behind.
     *
     * @param hart the hart whose instruction it is
     * @param function the funct5 field
     * @param size 4 or 8
     * @param operand rs2
     * @param read reads the {@code size} bytes (zero-extended or not: only they count)
     * @param write writes the new value's low {@code size} bytes
     * @return the old value, sign-extended for a word (the AMO's rd)
     */
    public static long perform(Hart hart, int function, int size, long operand, LongSupplier read, LongConsumer write) {
        long[] old = new long[1];
        hart.atomically(() -> {
            long value = read.getAsLong();
            old[0] = size == 4 ? (int) value : value;
            write.accept(amo(function, size, old[0], operand));
        });
        return old[0];
    }

    /**
     * Performs an A-extension instruction on a device for the guest, as the hart performs its own: LR is a load that
     * gives the hart its reservation ({@link Hart#loadReserved}; rd the value, sign-extended for a word); SC writes rs2
     * only while the hart's reservation holds ({@link Hart#storeConditional}; rd 0 when it did, 1 when not); an AMO
     * reads and writes under the harts' atomic lock ({@link #perform}; rd the old value).
     *
     * @param hart the hart whose instruction it is
     * @param function the funct5 field ({@link #LOAD_RESERVED}, {@link #STORE_CONDITIONAL} or an AMO's)
     * @param physicalAddress the access's physical address (for the reservation)
     * @param size 4 or 8
     * @param operand rs2 (unused by LR)
     * @param read reads the {@code size} bytes on the device
     * @param write writes a value's low {@code size} bytes on the device
     * @return the value for rd
     */
    public static long onDevice(Hart hart, int function, long physicalAddress, int size, long operand,
            LongSupplier read, LongConsumer write) {
        return switch (function) {
            case LOAD_RESERVED -> LoadValues.integer(hart.loadReserved(physicalAddress, size, read), size, true);
            case STORE_CONDITIONAL -> hart.storeConditional(physicalAddress, size, () -> write.accept(operand)) ? 0 : 1;
            default -> perform(hart, function, size, operand, read, write);
        };
    }

    private static long widen(long value, int size) {
        return size == 4 ? value & 0xffff_ffffL : value;
    }
}
