package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.AtomicValues;
import io.vmmlab.api.cpu.Hart;

import java.util.Optional;

/**
 * The memory an instruction about to run would read or write: the address and width of a load or store (integer or
 * floating point), an LR, SC or AMO (RV64GC, compressed forms included), from the instruction's bits and the hart's
 * registers. A watchpoint stops before such an instruction, as GDB expects of RISC-V (its watchpoints are not
 * steppable: it steps over the instruction itself).
 *
 * @param address the first byte accessed (virtual)
 * @param size how many bytes
 * @param reads whether the instruction reads them
 * @param writes whether it writes them
 */
record MemoryAccess(long address, int size, boolean reads, boolean writes) {
    private static final int LOAD = 0x03;
    private static final int LOAD_FP = 0x07;
    private static final int STORE = 0x23;
    private static final int STORE_FP = 0x27;
    private static final int AMO = 0x2f;
    private static final int SP = 2;

    /**
     * Decodes an instruction.
     *
     * @param bits the instruction (its low 16 bits alone for a compressed one)
     * @param hart whose registers give the address
     * @return the access, or empty for an instruction that accesses no memory
     */
    static Optional<MemoryAccess> of(int bits, Hart hart) {
        return (bits & 3) == 3 ? full(bits, hart) : compressed(bits & 0xffff, hart);
    }

    /**
     * Tells whether the access touches a range.
     *
     * @param start the range's first byte
     * @param length its length
     * @return true when they overlap
     */
    boolean overlaps(long start, int length) {
        return Long.compareUnsigned(address - start, length) < 0 || Long.compareUnsigned(start - address, size) < 0;
    }

    private static Optional<MemoryAccess> full(int bits, Hart hart) {
        int funct3 = bits >>> 12 & 7;
        long base = hart.register(bits >>> 15 & 31);
        long storeOffset = (bits >> 25) << 5 | bits >>> 7 & 31;
        boolean floatWidth = funct3 == 2 || funct3 == 3;
        return switch (bits & 0x7f) {
            case LOAD -> funct3 != 7 ? read(base + (bits >> 20), 1 << (funct3 & 3)) : none();
            case LOAD_FP -> floatWidth ? read(base + (bits >> 20), 1 << funct3) : none();
            case STORE -> funct3 < 4 ? write(base + storeOffset, 1 << funct3) : none();
            case STORE_FP -> floatWidth ? write(base + storeOffset, 1 << funct3) : none();
            case AMO -> !floatWidth ? none() : switch (bits >>> 27) {
                case AtomicValues.LOAD_RESERVED -> read(base, 1 << funct3);
                case AtomicValues.STORE_CONDITIONAL -> write(base, 1 << funct3);
                default -> Optional.of(new MemoryAccess(base, 1 << funct3, true, true));
            };
            default -> none();
        };
    }

    private static Optional<MemoryAccess> compressed(int bits, Hart hart) {
        int quadrant = bits & 3;
        int funct3 = bits >>> 13;
        if (quadrant == 0 && funct3 != 0 && funct3 != 4) { // c.fld c.lw c.ld, c.fsd c.sw c.sd
            long base = hart.register(8 + (bits >>> 7 & 7));
            int offsetHigh = (bits >>> 10 & 7) << 3;
            boolean word = (funct3 & 3) == 2;
            long address = base + (word ? offsetHigh | (bits >>> 6 & 1) << 2 | (bits >>> 5 & 1) << 6
                    : offsetHigh | (bits >>> 5 & 3) << 6);
            return access(address, word ? 4 : 8, funct3 >= 5);
        }
        if (quadrant == 2 && funct3 != 0 && funct3 != 4) { // c.fldsp c.lwsp c.ldsp, c.fsdsp c.swsp c.sdsp
            long base = hart.register(SP);
            boolean word = (funct3 & 3) == 2;
            if (funct3 >= 5) {
                return access(base + (word ? (bits >>> 9 & 15) << 2 | (bits >>> 7 & 3) << 6
                        : (bits >>> 10 & 7) << 3 | (bits >>> 7 & 7) << 6), word ? 4 : 8, true);
            }
            int high = (bits >>> 12 & 1) << 5;
            return access(base + (word ? high | (bits >>> 4 & 7) << 2 | (bits >>> 2 & 3) << 6
                    : high | (bits >>> 5 & 3) << 3 | (bits >>> 2 & 7) << 6), word ? 4 : 8, false);
        }
        return none();
    }

    private static Optional<MemoryAccess> access(long address, int size, boolean store) {
        return store ? write(address, size) : read(address, size);
    }

    private static Optional<MemoryAccess> read(long address, int size) {
        return Optional.of(new MemoryAccess(address, size, true, false));
    }

    private static Optional<MemoryAccess> write(long address, int size) {
        return Optional.of(new MemoryAccess(address, size, false, true));
    }

    private static Optional<MemoryAccess> none() {
        return Optional.empty();
    }
}
