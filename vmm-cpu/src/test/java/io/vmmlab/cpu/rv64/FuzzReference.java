package io.vmmlab.cpu.rv64;

import io.vmmlab.cpu.testing.ReferenceAlu;
import io.vmmlab.cpu.testing.ReferenceBytes;
import io.vmmlab.cpu.testing.ReferenceFields;

/**
 * A fuzzing helper: a single-step M-mode RV64IMA(C) reference in the spirit of {@code ReferenceModel}, written from the
 * ISA manual's tables and sharing no code with the hart, extended for the long differential campaign
 * ({@link LongFuzzCampaign}): compressed instructions (its own expander), the A extension (LR/SC and AMOs, misaligned
 * ones trap), access faults outside RAM (loads, stores, fetches), ECALL/EBREAK, MRET, and reads and writes of
 * mscratch/mepc/mcause/mtval with reads of minstret/mcycle/instret/cycle. Each step re-reads the instruction bytes,
 * so self-modifying code needs nothing special. Where the spec leaves a choice the hart's documented one is taken:
 * misaligned loads and stores are emulated; a faulting access that crosses a page reports the first byte of the
 * faulting page; EBREAK's mtval is its pc; SC succeeds when the reservation's address matches and memory still holds
 * the value LR read (of the SC's size); traps and MRET clear the reservation.
 */
final class FuzzReference {
    private final byte[] memory;
    private final long base;
    private final boolean compressed;
    final long[] x = new long[32];
    long pc;
    long mscratch;
    long mepc;
    long mcause;
    long mtval;
    private final long mtvec;
    long retired;
    boolean stopped;
    private boolean reserved;
    private long reservationAddress;
    private long reservationValue;

    FuzzReference(byte[] memory, long base, long pc, long mtvec, boolean compressed) {
        this.memory = memory;
        this.base = base;
        this.pc = pc;
        this.mtvec = mtvec;
        this.compressed = compressed;
    }

    byte[] memory() {
        return memory;
    }

    /** Thrown inside a step for an exception. */
    private static final class Trap extends RuntimeException {
        final long cause;
        final long tval;

        Trap(long cause, long tval) {
            super(null, null, false, false);
            this.cause = cause;
            this.tval = tval;
        }
    }

    private boolean inRam(long address) {
        return address - base >= 0 && address - base < memory.length && address >= base;
    }

    /** Checks an access of size bytes; throws the access fault (cause) with the hart's choice of tval. */
    private void check(long address, int size, int cause) {
        if (!inRam(address)) {
            throw new Trap(cause, address);
        }
        for (int i = 1; i < size; i++) {
            if (!inRam(address + i)) {
                throw new Trap(cause, (address + i) & ~0xfffL);
            }
        }
    }

    private long read(long address, int size) {
        return ReferenceBytes.read(memory, (int) (address - base), size);
    }

    private void write(long address, int size, long value) {
        ReferenceBytes.write(memory, (int) (address - base), size, value);
    }

    /**
     * Runs until WFI or the step limit; every step (an instruction or a trap) counts once, as in the hart's budget.
     *
     * @param maxSteps limit
     */
    void run(long maxSteps) {
        for (long i = 0; i < maxSteps && !stopped; i++) {
            step();
        }
    }

    private void set(int rd, long value) {
        if (rd != 0) {
            x[rd] = value;
        }
    }

    private void step() {
        try {
            long nextPc = execute();
            pc = nextPc;
            retired++;
        } catch (Trap trap) {
            reserved = false;
            mepc = pc;
            mcause = trap.cause;
            mtval = trap.tval;
            pc = mtvec;
        }
    }

    private long execute() {
        check(pc, 2, 1);
        int low = (int) read(pc, 2);
        if ((low & 3) != 3) {
            if (!compressed) {
                throw new Trap(2, low);
            }
            int word = expand(low);
            if (word == 0) {
                throw new Trap(2, low);
            }
            return execute32(word, 2, low);
        }
        check(pc + 2, 2, 1);
        int insn = (int) read(pc, 4);
        return execute32(insn, 4, insn);
    }

    private long target(long target) {
        if (!compressed && (target & 3) != 0) {
            throw new Trap(0, target);
        }
        return target;
    }

    private long execute32(int insn, int size, int bits) {
        int opcode = insn & 0x7f;
        int rd = (insn >> 7) & 31;
        int funct3 = (insn >> 12) & 7;
        int rs1 = (insn >> 15) & 31;
        int rs2 = (insn >> 20) & 31;
        int funct7 = insn >>> 25;
        long a = x[rs1];
        long b = x[rs2];
        long immI = ReferenceFields.immI(insn);
        long immS = ReferenceFields.immS(insn);
        long immB = ReferenceFields.immB(insn);
        long immJ = ReferenceFields.immJ(insn);
        long nextPc = pc + size;
        long illegalValue = bits & (size == 4 ? 0xffff_ffffL : 0xffffL);
        switch (opcode) {
            case 0x37 -> set(rd, (long) (insn & 0xfffff000));
            case 0x17 -> set(rd, pc + (insn & 0xfffff000));
            case 0x6f -> {
                long t = target(pc + immJ);
                set(rd, nextPc);
                return t;
            }
            case 0x67 -> {
                if (funct3 != 0) {
                    throw new Trap(2, illegalValue);
                }
                long t = target((a + immI) & ~1L);
                set(rd, nextPc);
                return t;
            }
            case 0x63 -> {
                boolean taken = switch (funct3) {
                    case 0 -> a == b;
                    case 1 -> a != b;
                    case 4 -> a < b;
                    case 5 -> a >= b;
                    case 6 -> Long.compareUnsigned(a, b) < 0;
                    case 7 -> Long.compareUnsigned(a, b) >= 0;
                    default -> throw new Trap(2, illegalValue);
                };
                if (taken) {
                    return target(pc + immB);
                }
            }
            case 0x03 -> {
                long address = a + immI;
                int width = switch (funct3) {
                    case 0, 4 -> 1;
                    case 1, 5 -> 2;
                    case 2, 6 -> 4;
                    case 3 -> 8;
                    default -> throw new Trap(2, illegalValue);
                };
                check(address, width, 5);
                long raw = read(address, width);
                long value = switch (funct3) {
                    case 0 -> (byte) raw;
                    case 1 -> (short) raw;
                    case 2 -> (int) raw;
                    default -> raw;
                };
                set(rd, value);
            }
            case 0x23 -> {
                if (funct3 > 3) {
                    throw new Trap(2, illegalValue);
                }
                long address = a + immS;
                check(address, 1 << funct3, 7);
                write(address, 1 << funct3, b);
            }
            case 0x13 -> {
                int top = insn >>> 26; // shifts: 0 (logical) or 010000 (arithmetic right) above the shift amount
                if ((funct3 == 1 && top != 0) || (funct3 == 5 && top != 0 && top != 0x10)) {
                    throw new Trap(2, illegalValue);
                }
                set(rd, ReferenceAlu.immediate(funct3, insn, a, immI));
            }
            case 0x1b -> {
                if ((funct3 != 0 && funct3 != 1 && funct3 != 5) || (funct3 == 1 && funct7 != 0)
                        || (funct3 == 5 && funct7 != 0 && funct7 != 0x20)) {
                    throw new Trap(2, illegalValue);
                }
                set(rd, ReferenceAlu.immediateWord(funct3, insn, (int) a, (int) immI));
            }
            case 0x33 -> {
                if (funct7 != 0 && funct7 != 1 && !(funct7 == 0x20 && (funct3 == 0 || funct3 == 5))) {
                    throw new Trap(2, illegalValue);
                }
                set(rd, funct7 == 1 ? ReferenceAlu.multiply(funct3, a, b) : ReferenceAlu.integer(funct3, funct7, a, b));
            }
            case 0x3b -> {
                boolean legal = switch (funct7) {
                    case 0 -> funct3 == 0 || funct3 == 1 || funct3 == 5;
                    case 0x20 -> funct3 == 0 || funct3 == 5;
                    case 1 -> funct3 == 0 || funct3 >= 4;
                    default -> false;
                };
                if (!legal) {
                    throw new Trap(2, illegalValue);
                }
                set(rd, funct7 == 1 ? ReferenceAlu.multiplyWord(funct3, (int) a, (int) b)
                        : ReferenceAlu.integerWord(funct3, funct7, (int) a, (int) b));
            }
            case 0x2f -> atomic(insn, rd, funct3, a, b, illegalValue);
            case 0x0f -> {
                // FENCE (reserved fields ignored, as the spec asks) and FENCE.I: nothing to do for a model that
                // re-reads every instruction
                if (funct3 > 1) {
                    throw new Trap(2, illegalValue);
                }
            }
            case 0x73 -> {
                if (insn == 0x10500073) {
                    stopped = true;
                    return nextPc;
                }
                if (insn == 0x00000073) {
                    throw new Trap(11, 0);
                }
                if (insn == 0x00100073) {
                    throw new Trap(3, pc);
                }
                if (insn == 0x30200073) {
                    reserved = false;
                    return mepc & (compressed ? ~1L : ~3L);
                }
                return csr(insn, rd, funct3, rs1, a, illegalValue, nextPc);
            }
            default -> throw new Trap(2, illegalValue);
        }
        return nextPc;
    }

    private long csr(int insn, int rd, int funct3, int rs1, long a, long illegalValue, long nextPc) {
        int csr = insn >>> 20;
        if (funct3 == 0 || funct3 == 4) {
            throw new Trap(2, illegalValue);
        }
        boolean writes = (funct3 & 3) == 1 || rs1 != 0;
        long old;
        switch (csr) {
            case 0x340 -> old = mscratch;
            case 0x341 -> old = mepc & (compressed ? ~1L : ~3L);
            case 0x342 -> old = mcause;
            case 0x343 -> old = mtval;
            case 0xb00, 0xb02, 0xc00, 0xc02 -> {
                if (writes) {
                    throw new Trap(2, illegalValue); // the campaign never writes the counters here
                }
                old = retired;
            }
            default -> throw new Trap(2, illegalValue);
        }
        long operand = funct3 >= 5 ? rs1 : a;
        if (writes) {
            long value = switch (funct3 & 3) {
                case 1 -> operand;
                case 2 -> old | operand;
                default -> old & ~operand;
            };
            switch (csr) {
                case 0x340 -> mscratch = value;
                case 0x341 -> mepc = value & ~1L;
                case 0x342 -> mcause = value;
                default -> mtval = value;
            }
        }
        set(rd, old);
        return nextPc;
    }

    private void atomic(int insn, int rd, int funct3, long address, long source, long illegalValue) {
        if (funct3 != 2 && funct3 != 3) {
            throw new Trap(2, illegalValue);
        }
        int size = funct3 == 3 ? 8 : 4;
        int funct5 = insn >>> 27;
        boolean lr = funct5 == 0x02;
        boolean known = switch (funct5) {
            case 0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c -> true;
            default -> false;
        };
        if (!known || (lr && ((insn >> 20) & 31) != 0)) {
            throw new Trap(2, illegalValue);
        }
        if ((address & (size - 1)) != 0) {
            throw new Trap(lr ? 4 : 6, address);
        }
        check(address, size, lr ? 5 : 7);
        long old = read(address, size);
        long result;
        if (lr) {
            reserved = true;
            reservationAddress = address;
            reservationValue = old;
            result = size == 4 ? (int) old : old;
        } else if (funct5 == 0x03) {
            boolean success = reserved && reservationAddress == address && old == reservationValue;
            reserved = false;
            if (success) {
                write(address, size, source);
            }
            result = success ? 0 : 1;
        } else {
            long value;
            if (size == 4) {
                int p = (int) old;
                int q = (int) source;
                value = switch (funct5) {
                    case 0x01 -> q;
                    case 0x00 -> p + q;
                    case 0x04 -> p ^ q;
                    case 0x0c -> p & q;
                    case 0x08 -> p | q;
                    case 0x10 -> Math.min(p, q);
                    case 0x14 -> Math.max(p, q);
                    case 0x18 -> Integer.compareUnsigned(p, q) < 0 ? p : q;
                    default -> Integer.compareUnsigned(p, q) > 0 ? p : q;
                };
                result = p;
            } else {
                value = switch (funct5) {
                    case 0x01 -> source;
                    case 0x00 -> old + source;
                    case 0x04 -> old ^ source;
                    case 0x0c -> old & source;
                    case 0x08 -> old | source;
                    case 0x10 -> Math.min(old, source);
                    case 0x14 -> Math.max(old, source);
                    case 0x18 -> Long.compareUnsigned(old, source) < 0 ? old : source;
                    default -> Long.compareUnsigned(old, source) > 0 ? old : source;
                };
                result = old;
            }
            write(address, size, value);
        }
        set(rd, result);
    }

    // ---- RVC, from the RV64C listings (quadrants 0..2); 0 for reserved and absent-extension encodings ----

    private static int bits(int c, int high, int low) {
        return (c >>> low) & ((1 << (high - low + 1)) - 1);
    }

    private static int sext(int value, int bitsWide) {
        return value << (32 - bitsWide) >> (32 - bitsWide);
    }

    private static int i(int imm, int rs1, int funct3, int rd, int opcode) {
        return (imm & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int s(int imm, int rs2, int rs1, int funct3) {
        return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 31) << 7 | 0x23;
    }

    private static int r(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    private static int b(int offset, int rs2, int rs1, int funct3) {
        return ((offset >> 12) & 1) << 31 | ((offset >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
                | ((offset >> 1) & 0xf) << 8 | ((offset >> 11) & 1) << 7 | 0x63;
    }

    private static int j(int offset, int rd) {
        return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3ff) << 21 | ((offset >> 11) & 1) << 20
                | ((offset >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }

    static int expand(int c) {
        int op = c & 3;
        int funct3 = bits(c, 15, 13);
        int rdp = bits(c, 4, 2) + 8;
        int rs1p = bits(c, 9, 7) + 8;
        int rd = bits(c, 11, 7);
        int rs2 = bits(c, 6, 2);
        int imm6 = sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
        if (c == 0) {
            return 0;
        }
        if (op == 0) {
            switch (funct3) {
                case 0 -> {
                    int u = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
                    return u == 0 ? 0 : i(u, 2, 0, rdp, 0x13);
                }
                case 2 -> {
                    int u = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6;
                    return i(u, rs1p, 2, rdp, 0x03);
                }
                case 3 -> {
                    int u = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
                    return i(u, rs1p, 3, rdp, 0x03);
                }
                case 6 -> {
                    int u = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6;
                    return s(u, rdp, rs1p, 2);
                }
                case 7 -> {
                    int u = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
                    return s(u, rdp, rs1p, 3);
                }
                default -> {
                    return 0;
                }
            }
        }
        if (op == 1) {
            switch (funct3) {
                case 0 -> {
                    return i(imm6, rd, 0, rd, 0x13);
                }
                case 1 -> {
                    return rd == 0 ? 0 : i(imm6, rd, 0, rd, 0x1b);
                }
                case 2 -> {
                    return i(imm6, 0, 0, rd, 0x13);
                }
                case 3 -> {
                    if (rd == 2) {
                        int nz = sext(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 | bits(c, 5, 5) << 6
                                | bits(c, 4, 3) << 7 | bits(c, 2, 2) << 5, 10);
                        return nz == 0 ? 0 : i(nz, 2, 0, 2, 0x13);
                    }
                    if (imm6 == 0) {
                        return 0;
                    }
                    return (imm6 << 12) | rd << 7 | 0x37;
                }
                case 4 -> {
                    int funct2 = bits(c, 11, 10);
                    int shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
                    switch (funct2) {
                        case 0 -> {
                            return i(shamt, rs1p, 5, rs1p, 0x13);
                        }
                        case 1 -> {
                            return i(0x400 | shamt, rs1p, 5, rs1p, 0x13);
                        }
                        case 2 -> {
                            return i(imm6, rs1p, 7, rs1p, 0x13);
                        }
                        default -> {
                            int f = bits(c, 6, 5);
                            if (bits(c, 12, 12) == 0) {
                                return switch (f) {
                                    case 0 -> r(0x20, rdp, rs1p, 0, rs1p, 0x33);
                                    case 1 -> r(0, rdp, rs1p, 4, rs1p, 0x33);
                                    case 2 -> r(0, rdp, rs1p, 6, rs1p, 0x33);
                                    default -> r(0, rdp, rs1p, 7, rs1p, 0x33);
                                };
                            }
                            return switch (f) {
                                case 0 -> r(0x20, rdp, rs1p, 0, rs1p, 0x3b);
                                case 1 -> r(0, rdp, rs1p, 0, rs1p, 0x3b);
                                default -> 0;
                            };
                        }
                    }
                }
                case 5 -> {
                    int off = sext(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 | bits(c, 10, 9) << 8
                            | bits(c, 8, 8) << 10 | bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 | bits(c, 5, 3) << 1
                            | bits(c, 2, 2) << 5, 12);
                    return j(off, 0);
                }
                default -> {
                    int off = sext(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6
                            | bits(c, 4, 3) << 1 | bits(c, 2, 2) << 5, 9);
                    return b(off, 0, rs1p, funct3 == 6 ? 0 : 1);
                }
            }
        }
        if (op == 2) {
            switch (funct3) {
                case 0 -> {
                    int shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
                    return i(shamt, rd, 1, rd, 0x13);
                }
                case 2 -> {
                    int u = bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
                    return rd == 0 ? 0 : i(u, 2, 2, rd, 0x03);
                }
                case 3 -> {
                    int u = bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
                    return rd == 0 ? 0 : i(u, 2, 3, rd, 0x03);
                }
                case 4 -> {
                    if (bits(c, 12, 12) == 0) {
                        if (rs2 == 0) {
                            return rd == 0 ? 0 : i(0, rd, 0, 0, 0x67);
                        }
                        return r(0, rs2, 0, 0, rd, 0x33);
                    }
                    if (rs2 == 0) {
                        return rd == 0 ? 0x00100073 : i(0, rd, 0, 1, 0x67);
                    }
                    return r(0, rs2, rd, 0, rd, 0x33);
                }
                case 6 -> {
                    int u = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
                    return s(u, rs2, 2, 2);
                }
                case 7 -> {
                    int u = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
                    return s(u, rs2, 2, 3);
                }
                default -> {
                    return 0;
                }
            }
        }
        return 0;
    }
}
