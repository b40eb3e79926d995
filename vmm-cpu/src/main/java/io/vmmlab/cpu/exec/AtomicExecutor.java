package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.cpu.mmu.AccessType;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.mmu.PhysicalMemory;
import io.vmmlab.cpu.trap.TrapException;

import java.util.function.LongSupplier;

import static io.vmmlab.cpu.decode.Opcodes.*;

/**
 * The A extension: LR/SC and AMOs (ISA manual, unprivileged volume, "A" Standard Extension).
 *
 * <p>Atomicity across harts: every read-modify-write runs under the RAM's monitor
 * ({@link PhysicalMemory#atomicLock()}), which all harts of a machine share. SC succeeds when this hart holds a
 * reservation for the same physical address and memory still holds the value LR read (a compare-and-swap, as
 * QEMU implements SC); plain stores of other harts do not take the lock, so an AMO racing with a plain store to
 * the same word is not ordered against it (a documented simplification). Misaligned atomics raise
 * address-misaligned exceptions (they are not emulated).
 */
public final class AtomicExecutor {
    private final Mmu mmu;
    private final PhysicalMemory memory;
    private final TrapException trap;
    private boolean reserved;
    private long reservationAddress;
    private long reservationValue;

    /**
     * Creates the executor.
     *
     * @param mmu address translation
     * @param trap the hart's reusable trap
     */
    public AtomicExecutor(Mmu mmu, TrapException trap) {
        this.mmu = mmu;
        this.memory = mmu.memory();
        this.trap = trap;
    }

    /** Drops the LR reservation (traps, xRET, host actions). */
    public void clearReservation() {
        reserved = false;
    }

    /**
     * Performs a load-reserved a VMM emulates: {@code load} runs under the shared lock, and this hart then holds a
     * reservation for the address and the value read, as after its own LR.
     *
     * @param pa the physical address
     * @param size 4 or 8
     * @param load reads the value (its size bytes, not sign-extended)
     * @return the value read
     */
    public long loadReserved(long pa, int size, LongSupplier load) {
        synchronized (memory.atomicLock()) {
            long value = load.getAsLong();
            reserved = true;
            reservationAddress = pa;
            reservationValue = value;
            return value;
        }
    }

    /**
     * Completes a store-conditional a VMM emulates: {@code store} runs only while this hart's reservation holds for
     * the address, under the shared lock; the reservation is gone afterwards.
     *
     * @param pa the physical address
     * @param size 4 or 8
     * @param store writes the value
     * @return whether it ran
     */
    public boolean storeConditional(long pa, int size, Runnable store) {
        synchronized (memory.atomicLock()) {
            boolean success = reserved && reservationAddress == pa && memory.read(pa, size) == reservationValue;
            reserved = false;
            if (success) {
                store.run();
            }
            return success;
        }
    }

    /**
     * Runs a read-modify-write under the lock the harts' atomics share.
     *
     * @param update the update
     */
    public void atomically(Runnable update) {
        synchronized (memory.atomicLock()) {
            update.run();
        }
    }

    /**
     * Executes one atomic instruction.
     *
     * @param x the register file (index 32 is the x0 sink)
     * @param rd destination
     * @param rs1 address register
     * @param rs2 source register
     * @param selector funct5 << 1 | doubleword
     */
    public void execute(long[] x, int rd, int rs1, int rs2, int selector) {
        long va = x[rs1];
        long source = x[rs2];
        boolean doubleword = (selector & 1) != 0;
        int size = doubleword ? 8 : 4;
        int funct5 = selector >>> 1;
        boolean load = funct5 == AMO_LR;
        if ((va & (size - 1)) != 0) {
            throw trap.raise(load ? TrapCause.LOAD_ADDRESS_MISALIGNED : TrapCause.STORE_ADDRESS_MISALIGNED, va);
        }
        long pa = mmu.translate(va, load ? AccessType.LOAD : AccessType.STORE, size);
        long result;
        try {
            synchronized (memory.atomicLock()) {
                result = switch (funct5) {
                    case AMO_LR -> loadReserved(pa, size);
                    case AMO_SC -> storeConditional(pa, size, source);
                    default -> readModifyWrite(pa, size, funct5, source);
                };
            }
        } catch (MemoryAccessException e) {
            throw trap.raise(load ? TrapCause.LOAD_ACCESS_FAULT : TrapCause.STORE_ACCESS_FAULT, va);
        }
        x[rd] = result;
    }

    private long loadReserved(long pa, int size) {
        long value = memory.read(pa, size);
        reserved = true;
        reservationAddress = pa;
        reservationValue = value;
        return size == 4 ? (int) value : value;
    }

    private long storeConditional(long pa, int size, long source) {
        boolean success = reserved && reservationAddress == pa && memory.read(pa, size) == reservationValue;
        reserved = false;
        if (!success) {
            return 1;
        }
        memory.write(pa, size, source);
        return 0;
    }

    private long readModifyWrite(long pa, int size, int funct5, long source) {
        long old = memory.read(pa, size);
        if (size == 4) {
            int a = (int) old;
            int b = (int) source;
            int value = switch (funct5) {
                case AMO_SWAP -> b;
                case AMO_ADD -> a + b;
                case AMO_XOR -> a ^ b;
                case AMO_AND -> a & b;
                case AMO_OR -> a | b;
                case AMO_MIN -> Math.min(a, b);
                case AMO_MAX -> Math.max(a, b);
                case AMO_MINU -> Integer.compareUnsigned(a, b) < 0 ? a : b;
                default -> Integer.compareUnsigned(a, b) > 0 ? a : b;
            };
            memory.write(pa, 4, value & 0xffff_ffffL);
            return a;
        }
        long value = switch (funct5) {
            case AMO_SWAP -> source;
            case AMO_ADD -> old + source;
            case AMO_XOR -> old ^ source;
            case AMO_AND -> old & source;
            case AMO_OR -> old | source;
            case AMO_MIN -> Math.min(old, source);
            case AMO_MAX -> Math.max(old, source);
            case AMO_MINU -> Long.compareUnsigned(old, source) < 0 ? old : source;
            default -> Long.compareUnsigned(old, source) > 0 ? old : source;
        };
        memory.write(pa, 8, value);
        return old;
    }
}
