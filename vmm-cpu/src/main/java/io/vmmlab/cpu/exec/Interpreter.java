package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.cpu.decode.DecodedPage;
import io.vmmlab.cpu.decode.InstructionDecoder;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TrapException;

import static io.vmmlab.cpu.decode.Opcodes.*;

/**
 * The interpreter loop: executes pre-decoded instructions page by page (ISA manual, unprivileged volume, RV32I/
 * RV64I, M and A chapters for the semantics).
 *
 * <p>The loop keeps the current code page's decode arrays in locals and only asks the MMU for a new page when
 * the pc leaves it, so straight-line code and loops inside a page cost one array read per instruction to fetch.
 * Slots are decoded lazily on first execution. Integer, M-extension, load/store and branch instructions execute
 * inline; atomics go to {@link AtomicExecutor}; SYSTEM and fences go to {@link SystemExecutor} and end the block,
 * so the hart re-checks interrupts and re-selects the fetch page after them.
 *
 * <p>Traps propagate as the hart's {@link TrapException}; {@code state.pc} then holds the trapping instruction's
 * pc and {@code state.instret} counts only retired instructions.
 */
public final class Interpreter {
    private final HartState state;
    private final Mmu mmu;
    private final GuestMemory ram;
    private final InstructionDecoder decoder;
    private final SystemExecutor system;
    private final AtomicExecutor atomics;
    private final TrapException trap;
    private final long misalignedTargetMask;

    /**
     * Wires the interpreter.
     *
     * @param state registers, pc and the retired-instruction count
     * @param mmu memory access and code pages
     * @param decoder instruction decoder
     * @param system SYSTEM instruction executor
     * @param atomics A-extension executor
     * @param trap the hart's reusable trap
     */
    public Interpreter(HartState state, Mmu mmu, InstructionDecoder decoder, SystemExecutor system,
                       AtomicExecutor atomics, TrapException trap) {
        this.state = state;
        this.mmu = mmu;
        this.ram = mmu.memory().ram();
        this.decoder = decoder;
        this.system = system;
        this.atomics = atomics;
        this.trap = trap;
        this.misalignedTargetMask = decoder.compressed() ? 0 : 2;
    }

    /**
     * Executes up to {@code budget} instructions, stopping early after a SYSTEM instruction or fence.
     *
     * @param budget instruction limit
     * @return {@link SystemExecutor#CONTINUE} or {@link SystemExecutor#WAIT}
     * @throws TrapException when an instruction raises an exception
     */
    public int execute(int budget) {
        final long[] x = state.x;
        long pc = state.pc;
        long pageNumber = -1;
        DecodedPage page = null;
        long[] slots = null;
        int retired = 0;
        try {
            while (retired < budget) {
                if ((pc >>> 12) != pageNumber) {
                    page = mmu.fetchPage(pc);
                    slots = page.slots();
                    pageNumber = pc >>> 12;
                }
                int slot = (int) (pc >>> 1) & (DecodedPage.SLOTS - 1);
                long decoded = slots[slot];
                if (decoded == 0) {
                    decoded = decodeSlot(page, slot, pc);
                }
                int word = (int) decoded;
                int imm = (int) (decoded >>> 32);
                int rd = (word >>> 8) & 0x3f;
                int rs1 = (word >>> 14) & 0x1f;
                int rs2 = (word >>> 19) & 0x1f;
                long next = pc + 4 - ((word >>> 23) & 2);
                switch (word & 0xff) {
                    case LUI -> x[rd] = imm;
                    case AUIPC -> x[rd] = pc + imm;
                    case JAL -> {
                        long target = pc + imm;
                        checkTarget(target);
                        x[rd] = next;
                        next = target;
                    }
                    case JALR -> {
                        long target = (x[rs1] + imm) & ~1L;
                        checkTarget(target);
                        x[rd] = next;
                        next = target;
                    }
                    case BEQ -> next = x[rs1] == x[rs2] ? branch(pc, imm) : next;
                    case BNE -> next = x[rs1] != x[rs2] ? branch(pc, imm) : next;
                    case BLT -> next = x[rs1] < x[rs2] ? branch(pc, imm) : next;
                    case BGE -> next = x[rs1] >= x[rs2] ? branch(pc, imm) : next;
                    case BLTU -> next = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? branch(pc, imm) : next;
                    case BGEU -> next = Long.compareUnsigned(x[rs1], x[rs2]) >= 0 ? branch(pc, imm) : next;
                    case LB -> x[rd] = (byte) mmu.load8(x[rs1] + imm);
                    case LH -> x[rd] = (short) mmu.load16(x[rs1] + imm);
                    case LW -> x[rd] = mmu.load32(x[rs1] + imm);
                    case LD -> x[rd] = mmu.load64(x[rs1] + imm);
                    case LBU -> x[rd] = mmu.load8(x[rs1] + imm);
                    case LHU -> x[rd] = mmu.load16(x[rs1] + imm);
                    case LWU -> x[rd] = mmu.load32(x[rs1] + imm) & 0xffff_ffffL;
                    case SB -> mmu.store8(x[rs1] + imm, (int) x[rs2]);
                    case SH -> mmu.store16(x[rs1] + imm, (int) x[rs2]);
                    case SW -> mmu.store32(x[rs1] + imm, (int) x[rs2]);
                    case SD -> mmu.store64(x[rs1] + imm, x[rs2]);
                    case ADDI -> x[rd] = x[rs1] + imm;
                    case SLTI -> x[rd] = x[rs1] < imm ? 1 : 0;
                    case SLTIU -> x[rd] = Long.compareUnsigned(x[rs1], imm) < 0 ? 1 : 0;
                    case XORI -> x[rd] = x[rs1] ^ imm;
                    case ORI -> x[rd] = x[rs1] | imm;
                    case ANDI -> x[rd] = x[rs1] & imm;
                    case SLLI -> x[rd] = x[rs1] << imm;
                    case SRLI -> x[rd] = x[rs1] >>> imm;
                    case SRAI -> x[rd] = x[rs1] >> imm;
                    case ADD -> x[rd] = x[rs1] + x[rs2];
                    case SUB -> x[rd] = x[rs1] - x[rs2];
                    case SLL -> x[rd] = x[rs1] << x[rs2];
                    case SLT -> x[rd] = x[rs1] < x[rs2] ? 1 : 0;
                    case SLTU -> x[rd] = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? 1 : 0;
                    case XOR -> x[rd] = x[rs1] ^ x[rs2];
                    case SRL -> x[rd] = x[rs1] >>> x[rs2];
                    case SRA -> x[rd] = x[rs1] >> x[rs2];
                    case OR -> x[rd] = x[rs1] | x[rs2];
                    case AND -> x[rd] = x[rs1] & x[rs2];
                    case ADDIW -> x[rd] = (int) x[rs1] + imm;
                    case SLLIW -> x[rd] = (int) x[rs1] << imm;
                    case SRLIW -> x[rd] = (int) x[rs1] >>> imm;
                    case SRAIW -> x[rd] = (int) x[rs1] >> imm;
                    case ADDW -> x[rd] = (int) x[rs1] + (int) x[rs2];
                    case SUBW -> x[rd] = (int) x[rs1] - (int) x[rs2];
                    case SLLW -> x[rd] = (int) x[rs1] << (int) x[rs2];
                    case SRLW -> x[rd] = (int) x[rs1] >>> (int) x[rs2];
                    case SRAW -> x[rd] = (int) x[rs1] >> (int) x[rs2];
                    case MUL -> x[rd] = x[rs1] * x[rs2];
                    case MULW -> x[rd] = (int) x[rs1] * (int) x[rs2];
                    case MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, DIVW, DIVUW, REMW, REMUW, FENCE, AMO, ILLEGAL ->
                        executeRare(x, word, rd, rs1, rs2, imm);
                    default -> {
                        state.pc = pc;
                        state.instret += retired;
                        retired = 0;
                        int status = system.execute(word, imm, next);
                        retired = 1;
                        return status;
                    }
                }
                pc = next;
                retired++;
            }
            state.pc = pc;
            return SystemExecutor.CONTINUE;
        } catch (TrapException exception) {
            // pc still holds the trapping instruction: it only advances after an instruction completes.
            state.pc = pc;
            throw exception;
        } finally {
            state.instret += retired;
        }
    }

    private void executeRare(long[] x, int word, int rd, int rs1, int rs2, int imm) {
        switch (word & 0xff) {
            case MULH -> x[rd] = Math.multiplyHigh(x[rs1], x[rs2]);
            case MULHSU -> x[rd] = MultiplyDivide.mulhsu(x[rs1], x[rs2]);
            case MULHU -> x[rd] = MultiplyDivide.mulhu(x[rs1], x[rs2]);
            case DIV -> x[rd] = MultiplyDivide.div(x[rs1], x[rs2]);
            case DIVU -> x[rd] = MultiplyDivide.divu(x[rs1], x[rs2]);
            case REM -> x[rd] = MultiplyDivide.rem(x[rs1], x[rs2]);
            case REMU -> x[rd] = MultiplyDivide.remu(x[rs1], x[rs2]);
            case DIVW -> x[rd] = MultiplyDivide.divw((int) x[rs1], (int) x[rs2]);
            case DIVUW -> x[rd] = MultiplyDivide.divuw((int) x[rs1], (int) x[rs2]);
            case REMW -> x[rd] = MultiplyDivide.remw((int) x[rs1], (int) x[rs2]);
            case REMUW -> x[rd] = MultiplyDivide.remuw((int) x[rs1], (int) x[rs2]);
            case FENCE -> {
                // Harts share one coherent memory under the JVM's rules; FENCE orders nothing further here.
            }
            case AMO -> atomics.execute(x, rd, rs1, rs2, imm);
            case ILLEGAL -> throw trap.raise(TrapCause.ILLEGAL_INSTRUCTION, imm & 0xffff_ffffL);
            default -> throw new IllegalStateException("not a rare operation: " + (word & 0xff));
        }
    }

    private long branch(long pc, int offset) {
        long target = pc + offset;
        checkTarget(target);
        return target;
    }

    private void checkTarget(long target) {
        if ((target & misalignedTargetMask) != 0) {
            throw trap.raise(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, target);
        }
    }

    private long decodeSlot(DecodedPage page, int slot, long pc) {
        long address = page.physicalBase() + ((long) slot << 1);
        int low = ram.read16(address);
        if ((low & 3) != 3) {
            long decoded = decoder.decodeCompressed(low);
            page.store(slot, decoded);
            return decoded;
        }
        if (slot == DecodedPage.SLOTS - 1) {
            // Crosses into the next virtual page: decoded on every execution, never cached.
            int high = mmu.fetchParcel(pc + 2);
            return decoder.decode(low | high << 16);
        }
        long decoded = decoder.decode(ram.read32(address));
        page.store(slot, decoded);
        return decoded;
    }
}
