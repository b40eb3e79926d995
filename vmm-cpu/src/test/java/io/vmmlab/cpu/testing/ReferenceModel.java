package io.vmmlab.cpu.testing;

/**
 * A test helper: a deliberately simple RV64IM (+ mscratch CSR accesses) single-step reference interpreter in
 * M-mode, for differential testing. It shares no code with the main decoder or interpreter: every step
 * re-reads the raw instruction word from its own little-endian byte array and switches on the fields straight
 * from the ISA manual's tables. An illegal instruction sets mepc/mcause/mtval and jumps to mtvec; WFI stops.
 */
public final class ReferenceModel {
    private static final int MSCRATCH = 0x340;

    private final byte[] memory;
    private final long base;
    private final long[] x = new long[32];
    private long pc;
    private long mscratch;
    private long mepc;
    private long mcause;
    private long mtval;
    private final long mtvec;
    private long retired;

    /**
     * Creates the model over a copy of memory.
     *
     * @param memory RAM contents (copied by the caller)
     * @param base physical address of memory[0]
     * @param pc initial pc
     * @param mtvec trap vector
     */
    public ReferenceModel(byte[] memory, long base, long pc, long mtvec) {
        this.memory = memory;
        this.base = base;
        this.pc = pc;
        this.mtvec = mtvec;
    }

    public long[] registers() {
        return x;
    }

    public long pc() {
        return pc;
    }

    public void setMscratch(long value) {
        mscratch = value;
    }

    public long mscratch() {
        return mscratch;
    }

    public long mepc() {
        return mepc;
    }

    public long mcause() {
        return mcause;
    }

    public long mtval() {
        return mtval;
    }

    public long retired() {
        return retired;
    }

    public byte[] memory() {
        return memory;
    }

    private long read(long address, int size) {
        return ReferenceBytes.read(memory, (int) (address - base), size);
    }

    private void write(long address, int size, long value) {
        ReferenceBytes.write(memory, (int) (address - base), size, value);
    }

    /**
     * Runs until WFI or the step limit.
     *
     * @param maxSteps limit
     */
    public void run(int maxSteps) {
        for (int i = 0; i < maxSteps; i++) {
            if (!step()) {
                return;
            }
        }
    }

    private void illegal(int insn) {
        mepc = pc;
        mcause = 2;
        mtval = insn & 0xffff_ffffL;
        pc = mtvec;
    }

    private void set(int rd, long value) {
        if (rd != 0) {
            x[rd] = value;
        }
    }

    /** Executes one instruction; returns false at WFI (with pc past it). */
    private boolean step() {
        int insn = (int) read(pc, 4);
        int opcode = insn & 0x7f;
        int rd = (insn >> 7) & 31;
        int funct3 = (insn >> 12) & 7;
        int rs1 = (insn >> 15) & 31;
        int rs2 = (insn >> 20) & 31;
        int funct7 = (insn >>> 25);
        long a = x[rs1];
        long b = x[rs2];
        long immI = ReferenceFields.immI(insn);
        long immS = ReferenceFields.immS(insn);
        long immB = ReferenceFields.immB(insn);
        long immJ = ReferenceFields.immJ(insn);
        long nextPc = pc + 4;
        if (insn == 0x10500073) {
            pc = nextPc;
            retired++;
            return false;
        }
        switch (opcode) {
            case 0x37 -> set(rd, (long) (insn & 0xfffff000));
            case 0x17 -> set(rd, pc + (insn & 0xfffff000));
            case 0x6f -> {
                set(rd, nextPc);
                nextPc = pc + immJ;
            }
            case 0x63 -> {
                boolean taken;
                switch (funct3) {
                    case 0 -> taken = a == b;
                    case 1 -> taken = a != b;
                    case 4 -> taken = a < b;
                    case 5 -> taken = a >= b;
                    case 6 -> taken = Long.compareUnsigned(a, b) < 0;
                    case 7 -> taken = Long.compareUnsigned(a, b) >= 0;
                    default -> {
                        illegal(insn);
                        return true;
                    }
                }
                if (taken) {
                    nextPc = pc + immB;
                }
            }
            case 0x03 -> {
                long address = a + immI;
                long value;
                switch (funct3) {
                    case 0 -> value = (byte) read(address, 1);
                    case 1 -> value = (short) read(address, 2);
                    case 2 -> value = (int) read(address, 4);
                    case 3 -> value = read(address, 8);
                    case 4 -> value = read(address, 1);
                    case 5 -> value = read(address, 2);
                    case 6 -> value = read(address, 4);
                    default -> {
                        illegal(insn);
                        return true;
                    }
                }
                set(rd, value);
            }
            case 0x23 -> {
                if (funct3 > 3) {
                    illegal(insn);
                    return true;
                }
                write(a + immS, 1 << funct3, b);
            }
            case 0x13 -> set(rd, ReferenceAlu.immediate(funct3, insn, a, immI));
            case 0x1b -> set(rd, ReferenceAlu.immediateWord(funct3, insn, (int) a, (int) immI));
            case 0x33 -> set(rd, funct7 == 1 ? ReferenceAlu.multiply(funct3, a, b) : ReferenceAlu.integer(funct3, funct7, a, b));
            case 0x3b -> set(rd, funct7 == 1 ? ReferenceAlu.multiplyWord(funct3, (int) a, (int) b)
                    : ReferenceAlu.integerWord(funct3, funct7, (int) a, (int) b));
            case 0x73 -> {
                int csr = insn >>> 20;
                if (csr != MSCRATCH || funct3 == 0 || funct3 == 4) {
                    illegal(insn);
                    return true;
                }
                long operand = funct3 >= 5 ? rs1 : a;
                long old = mscratch;
                switch (funct3 & 3) {
                    case 1 -> mscratch = operand;
                    case 2 -> mscratch = old | operand;
                    default -> mscratch = old & ~operand;
                }
                set(rd, old);
            }
            default -> {
                illegal(insn);
                return true;
            }
        }
        pc = nextPc;
        retired++;
        return true;
    }
}
