package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;

import java.util.Optional;

/**
 * Where an instruction about to run would write: the address and width of a store, a floating-point store, an SC or
 * an AMO (RV64GC, compressed forms included), from the instruction's bits and the hart's registers. A write watchpoint
 * stops before such an instruction, as GDB expects of RISC-V (its watchpoints are not steppable: it steps over the
 * instruction itself).
 *
 * @param address the first byte written (virtual)
 * @param size how many bytes
 */
record StoreAccess(long address, int size) {
    private static final int STORE = 0x23;
    private static final int STORE_FP = 0x27;
    private static final int AMO = 0x2f;
    private static final int LR = 0b00010;
    private static final int SP = 2;

    /**
     * Decodes an instruction.
     *
     * @param bits the instruction (its low 16 bits alone for a compressed one)
     * @param hart whose registers give the address
     * @return the write, or empty for an instruction that writes no memory
     */
    static Optional<StoreAccess> of(int bits, Hart hart) {
        return (bits & 3) == 3 ? full(bits, hart) : compressed(bits & 0xffff, hart);
    }

    /**
     * Tells whether the write touches a range.
     *
     * @param start the range's first byte
     * @param length its length
     * @return true when they overlap
     */
    boolean overlaps(long start, int length) {
        return Long.compareUnsigned(address - start, length) < 0 || Long.compareUnsigned(start - address, size) < 0;
    }

    private static Optional<StoreAccess> full(int bits, Hart hart) {
        int funct3 = bits >>> 12 & 7;
        long base = hart.register(bits >>> 15 & 31);
        return switch (bits & 0x7f) {
            case STORE -> funct3 < 4 ? at(base + ((bits >> 25) << 5 | bits >>> 7 & 31), 1 << funct3) : none();
            case STORE_FP -> funct3 == 2 || funct3 == 3
                    ? at(base + ((bits >> 25) << 5 | bits >>> 7 & 31), 1 << funct3) : none();
            case AMO -> (funct3 == 2 || funct3 == 3) && (bits >>> 27) != LR ? at(base, 1 << funct3) : none();
            default -> none();
        };
    }

    private static Optional<StoreAccess> compressed(int bits, Hart hart) {
        int quadrant = bits & 3;
        int funct3 = bits >>> 13;
        if (quadrant == 0 && funct3 >= 5) { // c.fsd, c.sw, c.sd
            long base = hart.register(8 + (bits >>> 7 & 7));
            int offsetHigh = (bits >>> 10 & 7) << 3;
            if (funct3 == 6) {
                return at(base + (offsetHigh | (bits >>> 6 & 1) << 2 | (bits >>> 5 & 1) << 6), 4);
            }
            return at(base + (offsetHigh | (bits >>> 5 & 3) << 6), 8);
        }
        if (quadrant == 2 && funct3 >= 5) { // c.fsdsp, c.swsp, c.sdsp
            long base = hart.register(SP);
            if (funct3 == 6) {
                return at(base + ((bits >>> 9 & 15) << 2 | (bits >>> 7 & 3) << 6), 4);
            }
            return at(base + ((bits >>> 10 & 7) << 3 | (bits >>> 7 & 7) << 6), 8);
        }
        return none();
    }

    private static Optional<StoreAccess> at(long address, int size) {
        return Optional.of(new StoreAccess(address, size));
    }

    private static Optional<StoreAccess> none() {
        return Optional.empty();
    }
}
