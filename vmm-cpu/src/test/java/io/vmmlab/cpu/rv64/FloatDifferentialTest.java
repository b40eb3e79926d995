package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.cpu.testing.FloatAssembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random F/D programs on the interpreter and on the translator (every block translated on its first execution, run
 * in a loop so that regions run from translated code), compared in full: integer and f registers, pc, fcsr,
 * mstatus (FS), the trap CSRs, retired instructions and memory. The programs mix every computational F/D
 * instruction in both formats with static and dynamic rounding modes, moves and conversions to and from integer
 * registers, loads and stores (compressed forms, misaligned addresses, addresses outside RAM), integer
 * instructions, forward branches, frm and fcsr writes (an invalid frm makes dynamic-rounding instructions illegal)
 * and FS switched Off (every F/D instruction illegal). The trap handler steps over the trapping instruction and
 * switches FS back on, so a program goes on after each trap. The interpreter is the reference.
 */
final class FloatDifferentialTest {
    private static final int SEQUENCES = 300;
    private static final int LENGTH = 160;
    private static final int RAM_SIZE = 64 << 10;
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x2000;
    private static final long DATA = BASE + 0xc000;
    private static final int ROUNDS = 4;
    // x2 (for C.FLDSP/C.FSDSP) and x8 (C.FLD/C.FSD) and x31 hold DATA; x28 and x29 are the handler's; x30 counts
    // rounds. Random instructions write only the others.
    private static final int[] FREE = {1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27};
    private static final int DATA_REGISTER = 31;
    private static final int LOOP_REGISTER = 30;
    private static final int SCRATCH = 28;

    @Test
    void randomFloatingPointLoopsMatchTheInterpreter() {
        long regions = 0;
        for (int seed = 0; seed < SEQUENCES; seed++) {
            regions += compare(seed, Integer.MAX_VALUE, null) > 0 ? 1 : 0;
        }
        assertThat(regions).as("sequences that ran translated code").isEqualTo(SEQUENCES);
    }

    /** Slices cut blocks and regions anywhere: resuming must not change a thing. */
    @Test
    void randomFloatingPointLoopsRunInSlicesMatchTheInterpreter() {
        for (int seed = 0; seed < SEQUENCES; seed += 3) {
            compare(seed, 1 + seed % 17, null);
        }
    }

    /** RAM outside the Java heap: translated loads and stores reach it at host addresses. */
    @Test
    void randomFloatingPointLoopsOnRamOutsideTheHeapMatchTheInterpreter() {
        for (int seed = 0; seed < SEQUENCES; seed += 3) {
            compare(seed, Integer.MAX_VALUE, new OffHeapRam(BASE, RAM_SIZE));
        }
    }

    /** Runs one program on both engines and compares; returns the regions the translator made. */
    private static long compare(int seed, int slice, GuestMemory translatedRam) {
        TestBoard interpreted = board(seed, null, null);
        TestBoard translated = board(seed, new TranslatorConfig(0, 8192, TranslatorConfig.ON_THE_HART),
                translatedRam);
        run(interpreted, Integer.MAX_VALUE);
        run(translated, slice);
        Rv64Hart expected = interpreted.hart();
        Rv64Hart actual = translated.hart();
        String context = "seed " + seed;
        for (int register = 0; register < 32; register++) {
            assertThat(actual.register(register)).as(context + " x" + register).isEqualTo(expected.register(register));
            assertThat(actual.floatRegister(register)).as(context + " f" + register)
                    .isEqualTo(expected.floatRegister(register));
        }
        assertThat(actual.pc()).as(context + " pc").isEqualTo(expected.pc());
        for (int csr : new int[] {CsrAddress.FCSR, CsrAddress.MSTATUS, CsrAddress.MCAUSE, CsrAddress.MEPC,
            CsrAddress.MTVAL}) {
            assertThat(actual.readCsr(csr)).as(context + " csr 0x%x", csr).isEqualTo(expected.readCsr(csr));
        }
        assertThat(actual.instructionsRetired()).as(context + " retired").isEqualTo(expected.instructionsRetired());
        byte[] expectedMemory = new byte[RAM_SIZE];
        byte[] actualMemory = new byte[RAM_SIZE];
        interpreted.memory().read(BASE, expectedMemory, 0, RAM_SIZE);
        translated.memory().read(BASE, actualMemory, 0, RAM_SIZE);
        assertThat(actualMemory).as(context + " memory").isEqualTo(expectedMemory);
        return translated.counters().snapshot().get("translator", "regions");
    }

    private static void run(TestBoard board, int slice) {
        long budget = 1_000_000;
        HartExit exit;
        do {
            long before = board.hart().instructionsRetired();
            exit = board.hart().run(Math.min(slice, budget));
            budget -= board.hart().instructionsRetired() - before;
        } while (exit == HartExit.BUDGET_EXHAUSTED && budget > 0);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
    }

    private static TestBoard board(int seed, TranslatorConfig translator, GuestMemory ram) {
        Random random = new Random(seed);
        TestBoard board = ram == null ? new TestBoard("rv64imafdc", RAM_SIZE, translator)
                : new TestBoard("rv64imafdc", ram, translator);
        board.load(BASE, program(random));
        board.load(HANDLER, handler());
        for (int i = 0; i < 4096; i += 8) {
            board.memory().write64(DATA + i, value(random));
        }
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.writeCsr(CsrAddress.MSTATUS, 1L << 13); // FS Initial
        for (int register = 1; register < 32; register++) {
            hart.setRegister(register, DifferentialTest.interesting(random));
            hart.setFloatRegister(register, value(random));
        }
        hart.setFloatRegister(0, value(random));
        for (int register : new int[] {2, 8, DATA_REGISTER}) {
            hart.setRegister(register, DATA);
        }
        return board;
    }

    /**
     * Steps over the trapping instruction (two or four bytes, by its low bits) and switches FS back on, Clean, so
     * that the next write of FP state must make it Dirty again: x28 and x29 are its scratch registers.
     */
    private static int[] handler() {
        return new int[] {
            csrrs(29, CsrAddress.MEPC, 0),
            lhu(SCRATCH, 29, 0),
            andi(SCRATCH, SCRATCH, 3),
            addi(SCRATCH, SCRATCH, -3),
            addi(29, 29, 2),
            bne(SCRATCH, 0, 8),
            addi(29, 29, 2),
            csrrw(0, CsrAddress.MEPC, 29),
            lui(29, 6),
            csrrc(0, CsrAddress.MSTATUS, 29),
            lui(29, 4), // FS = Clean
            csrrs(0, CsrAddress.MSTATUS, 29),
            mret(),
        };
    }

    /** A floating-point value worth trying, as f register or memory bits. */
    private static long value(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> Double.doubleToRawLongBits(random.nextInt(100) - 50);
            case 1 -> Double.doubleToRawLongBits(random.nextGaussian() * 1e6);
            case 2 -> 0xffff_ffff_0000_0000L | Float.floatToRawIntBits((float) random.nextGaussian());
            case 3 -> 0xffff_ffff_0000_0000L | Float.floatToRawIntBits(random.nextInt(100) - 50);
            case 4 -> new long[] {0x7ff8_0000_0000_0000L, 0x7ff0_0000_0000_0001L, 0x7ff0_0000_0000_0000L,
                0xfff0_0000_0000_0000L, 0x8000_0000_0000_0000L, 0, 1, 0x000f_ffff_ffff_ffffL}[random.nextInt(8)];
            case 5 -> 0xffff_ffff_0000_0000L | new int[] {0x7fc0_0000, 0x7f80_0001, 0x7f80_0000, 0xff80_0000,
                0x8000_0000, 1, 0x007f_ffff, 0x4f00_0000}[random.nextInt(8)];
            case 6 -> Double.doubleToRawLongBits(Math.scalb(random.nextDouble() + 1, random.nextInt(200) - 100));
            case 7 -> Double.doubleToRawLongBits(random.nextLong() * 0.5);
            case 8 -> random.nextInt() & 0xffff_ffffL; // a single that is not NaN-boxed
            default -> random.nextLong();
        };
    }

    /**
     * A prologue setting the round counter, {@link #LENGTH} random slots (32-bit instructions or pairs of
     * compressed ones), the loop's backward branch and WFI.
     */
    private static int[] program(Random random) {
        List<Integer> halves = new ArrayList<>();
        addWord(halves, addi(LOOP_REGISTER, 0, ROUNDS));
        int bodyStart = halves.size();
        for (int i = 0; i < LENGTH; i++) {
            slot(random, halves, LENGTH - i);
        }
        addWord(halves, addi(LOOP_REGISTER, LOOP_REGISTER, -1));
        addWord(halves, bType(1, LOOP_REGISTER, 0, -2 * (halves.size() - bodyStart)));
        addWord(halves, wfi());
        int[] words = new int[(halves.size() + 1) / 2];
        for (int i = 0; i < halves.size(); i++) {
            words[i / 2] |= (halves.get(i) & 0xffff) << (16 * (i % 2));
        }
        return words;
    }

    private static void addWord(List<Integer> halves, int word) {
        halves.add(word & 0xffff);
        halves.add(word >>> 16);
    }

    private static int free(Random random) {
        return FREE[random.nextInt(FREE.length)];
    }

    private static int f(Random random) {
        return random.nextInt(32);
    }

    /** One slot: four bytes of code, so that forward branches (counted in slots) land on instructions. */
    private static void slot(Random random, List<Integer> halves, int remaining) {
        int kind = random.nextInt(100);
        int fmt = random.nextInt(4) == 0 ? S : D;
        if (kind < 40) {
            addWord(halves, compute(random, fmt));
        } else if (kind < 48) {
            addWord(halves, move(random, fmt));
        } else if (kind < 58) {
            int offset = random.nextInt(16) == 0 ? random.nextInt(2040) : 8 * random.nextInt(255);
            int base = random.nextInt(40) == 0 ? 0 : DATA_REGISTER; // base x0: outside RAM, an access fault
            addWord(halves, fmt == S ? flw(f(random), base, offset) : fld(f(random), base, offset));
        } else if (kind < 66) {
            int offset = random.nextInt(16) == 0 ? random.nextInt(2040) : 8 * random.nextInt(255);
            int base = random.nextInt(40) == 0 ? 0 : DATA_REGISTER;
            addWord(halves, fmt == S ? fsw(f(random), base, offset) : fsd(f(random), base, offset));
        } else if (kind < 70) {
            for (int half = 0; half < 2; half++) {
                int register = random.nextInt(32);
                int offset = 8 * random.nextInt(32);
                halves.add(switch (random.nextInt(4)) {
                    case 0 -> cFld(8 + random.nextInt(8), 8, offset);
                    case 1 -> cFsd(8 + random.nextInt(8), 8, offset);
                    case 2 -> cFldsp(register, offset);
                    default -> cFsdsp(register, offset);
                });
            }
        } else if (kind < 82) {
            addWord(halves, DifferentialTest.registerOperation(random, free(random), free(random), free(random)));
        } else if (kind < 90) {
            int distance = 4 * (1 + random.nextInt(Math.min(remaining, 12)));
            addWord(halves, bType(new int[] {0, 1, 4, 5, 6, 7}[random.nextInt(6)], free(random), free(random),
                    distance));
        } else if (kind < 95) {
            // frm (5-7 make dynamic rounding illegal), fflags or fcsr, read into an integer register
            int csr = new int[] {CsrAddress.FRM, CsrAddress.FFLAGS, CsrAddress.FCSR}[random.nextInt(3)];
            addWord(halves, csr == CsrAddress.FRM ? csr(5, free(random), csr, random.nextInt(8))
                    : csr(random.nextInt(3) + 1, free(random), csr, free(random)));
        } else if (kind < 97) {
            // FS Off until the next trap's handler switches it on (x28 is the handler's: free to clobber)
            addWord(halves, lui(SCRATCH, 6));
            addWord(halves, csrrc(0, CsrAddress.MSTATUS, SCRATCH));
        } else {
            addWord(halves, random.nextBoolean() ? addi(free(random), free(random), random.nextInt(4096) - 2048)
                    : mul(free(random), free(random), free(random)));
        }
    }

    private static int roundingMode(Random random) {
        return random.nextInt(3) == 0 ? DYN : random.nextInt(5);
    }

    /** An f-to-f computation: arithmetic, sign injection, min/max, fused multiply-adds, S/D conversion. */
    private static int compute(Random random, int fmt) {
        int rd = f(random);
        int rs1 = f(random);
        int rs2 = f(random);
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> opFp(random.nextInt(4), fmt, roundingMode(random), rd, rs1, rs2); // add sub mul div
            case 3 -> opFp(0x0b, fmt, roundingMode(random), rd, rs1, 0); // sqrt
            case 4 -> fsgnj(fmt, random.nextInt(3), rd, rs1, rs2);
            case 5 -> random.nextBoolean() ? fmin(fmt, rd, rs1, rs2) : fmax(fmt, rd, rs1, rs2);
            case 6, 7 -> {
                int opcode = new int[] {0x43, 0x47, 0x4b, 0x4f}[random.nextInt(4)];
                int fused = fused(opcode, fmt, rd, rs1, rs2, f(random));
                yield (fused & ~(7 << 12)) | roundingMode(random) << 12;
            }
            default -> fmt == S ? opFp(0x08, S, roundingMode(random), rd, rs1, D) : fcvtDS(rd, rs1);
        };
    }

    /** Between f and integer registers: comparisons, FCLASS, moves and conversions both ways. */
    private static int move(Random random, int fmt) {
        int x = random.nextInt(10) == 0 ? 0 : free(random);
        int f = f(random);
        return switch (random.nextInt(6)) {
            case 0 -> fcompare(fmt, random.nextInt(3), x, f, f(random));
            case 1 -> fclass(fmt, x, f);
            case 2 -> fmvToInteger(fmt, x, f);
            case 3 -> fmvFromInteger(fmt, f, x);
            case 4 -> fcvtToInteger(fmt, random.nextInt(4), roundingMode(random), x, f);
            default -> fcvtFromInteger(fmt, random.nextInt(4), roundingMode(random), f, x);
        };
    }
}
