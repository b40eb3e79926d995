package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.ReferenceModel;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs random instruction sequences (integer, M extension, forward branches and jumps, loads and stores into a
 * data area, mscratch CSR accesses, occasional illegal words) on the hart and on {@link ReferenceModel}, and
 * compares registers, pc, CSRs, retired instructions and memory. Fixed seeds keep it reproducible.
 */
final class DifferentialTest {
    private static final int SEQUENCES = 400;
    private static final int LENGTH = 200;
    private static final int RAM_SIZE = 64 << 10;
    private static final int CHECKED_RAM_SIZE = 60 << 10;
    private static final long BASE = TestBoard.RAM_BASE;
    private static final long HANDLER = BASE + 0x2000;
    // In the upper half of every RAM size used, so that an index mask one bit short moves every access.
    private static final long DATA = BASE + 0xc000;
    private static final int DATA_REGISTER = 31;
    private static final int LOOP_REGISTER = 30;
    private static final int ROUNDS = 5;

    @Test
    void randomSequencesMatchTheReferenceModel() {
        for (int seed = 0; seed < SEQUENCES; seed++) {
            runSequence(seed, 10 * LENGTH);
        }
    }

    /** The same sequences run in small slices: blocks cut by the budget, then resumed, must not change a thing. */
    @Test
    void randomSequencesRunInSlicesMatchTheReferenceModel() {
        for (int seed = 0; seed < SEQUENCES; seed += 4) {
            runSequence(seed, 1 + seed % 13);
        }
    }

    /**
     * The translating engine, translating every block on its first execution, on the same sequences repeated in a
     * loop (so regions loop and run from translated code), whole and in slices.
     */
    @Test
    void translatedLoopsMatchTheReferenceModel() {
        long translated = 0;
        for (int seed = 0; seed < SEQUENCES; seed++) {
            translated += runSequence(seed, 10 * LENGTH, new TranslatorConfig(0, 8192), true) > 0 ? 1 : 0;
        }
        assertThat(translated).as("sequences that ran translated code").isEqualTo(SEQUENCES);
        for (int seed = 0; seed < SEQUENCES; seed += 4) {
            runSequence(seed, 1 + seed % 13, new TranslatorConfig(0, 8192), true);
        }
    }

    /**
     * The same with a RAM whose size is not a power of two: translated code then reaches it through the
     * bounds-checked accessors (RamAccess) rather than the unchecked ones, which cover only arrays that extend past
     * the index mask.
     */
    @Test
    void translatedLoopsOnCheckedRamAccessesMatchTheReferenceModel() {
        for (int seed = 0; seed < SEQUENCES; seed += 2) {
            assertThat(runSequence(seed, 10 * LENGTH, new TranslatorConfig(0, 8192), true, CHECKED_RAM_SIZE))
                    .as("regions translated, seed %d", seed).isPositive();
        }
    }

    /**
     * The same on RAM outside the Java heap (OffHeapRam, the board's RAM wherever the JVM allows it),
     * where translated code reaches RAM at absolute host addresses (OffHeapRamAccess), with sizes that are and are
     * not a power of two.
     */
    @Test
    void translatedLoopsOnRamOutsideTheHeapMatchTheReferenceModel() {
        for (int seed = 0; seed < SEQUENCES; seed += 2) {
            int ramSize = seed % 4 == 0 ? RAM_SIZE : CHECKED_RAM_SIZE;
            assertThat(runSequence(seed, 10 * LENGTH, new TranslatorConfig(0, 8192), true,
                    new OffHeapRam(BASE, ramSize))).as("regions translated, seed %d", seed).isPositive();
        }
    }

    /** The translator with a cache of four translations: eviction while running changes nothing either. */
    @Test
    void translatorWithATinyCacheMatchesTheReferenceModel() {
        long regions = 0;
        for (int seed = 0; seed < SEQUENCES; seed += 2) {
            regions += runSequence(seed, 10 * LENGTH, new TranslatorConfig(1, 4), true);
        }
        assertThat(regions).as("regions translated").isGreaterThan(SEQUENCES);
    }

    private static void runSequence(int seed, int slice) {
        runSequence(seed, slice, null, false);
    }

    /** Runs one sequence and compares; returns the regions translated. */
    private static long runSequence(int seed, int slice, TranslatorConfig translator, boolean loop) {
        return runSequence(seed, slice, translator, loop, RAM_SIZE);
    }

    private static long runSequence(int seed, int slice, TranslatorConfig translator, boolean loop, int ramSize) {
        return runSequence(seed, slice, translator, loop, new FlatRam(BASE, ramSize));
    }

    private static long runSequence(int seed, int slice, TranslatorConfig translator, boolean loop, GuestMemory ram) {
        int ramSize = (int) ram.range().size();
        Random random = new Random(seed);
        TestBoard board = new TestBoard("rv64imac", ram, translator);
        int[] program = loop ? generateLoop(random) : generate(random);
        board.load(BASE, program);
        board.load(HANDLER, wfi());
        for (int i = 0; i < 4096; i += 8) {
            board.memory().write64(DATA + i, random.nextLong());
        }
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, HANDLER);
        hart.writeCsr(CsrAddress.MSCRATCH, random.nextLong());
        for (int register = 1; register < 31; register++) {
            hart.setRegister(register, interesting(random));
        }
        hart.setRegister(DATA_REGISTER, DATA);

        byte[] copy = new byte[ramSize];
        board.memory().read(BASE, copy, 0, ramSize);
        ReferenceModel reference = new ReferenceModel(copy, BASE, BASE, HANDLER);
        for (int register = 1; register < 32; register++) {
            reference.registers()[register] = hart.register(register);
        }
        reference.setMscratch(hart.readCsr(CsrAddress.MSCRATCH));

        HartExit exit;
        long budget = 10 * LENGTH;
        do {
            long before = hart.instructionsRetired();
            exit = hart.run(Math.min(slice, budget));
            budget -= hart.instructionsRetired() - before;
            assertThat(hart.instructionsRetired() - before).as("seed " + seed + " slice").isLessThanOrEqualTo(slice);
        } while (exit == HartExit.BUDGET_EXHAUSTED && budget > 0);
        reference.run(10 * LENGTH);

        String context = "seed " + seed;
        assertThat(exit).as(context).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        for (int register = 0; register < 32; register++) {
            assertThat(hart.register(register)).as(context + " x" + register).isEqualTo(reference.registers()[register]);
        }
        assertThat(hart.pc()).as(context + " pc").isEqualTo(reference.pc());
        assertThat(hart.readCsr(CsrAddress.MSCRATCH)).as(context + " mscratch").isEqualTo(reference.mscratch());
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).as(context + " mcause").isEqualTo(reference.mcause());
        assertThat(hart.readCsr(CsrAddress.MEPC)).as(context + " mepc").isEqualTo(reference.mepc());
        assertThat(hart.readCsr(CsrAddress.MTVAL)).as(context + " mtval").isEqualTo(reference.mtval());
        assertThat(hart.instructionsRetired()).as(context + " retired").isEqualTo(reference.retired());
        byte[] actual = new byte[ramSize];
        board.memory().read(BASE, actual, 0, ramSize);
        assertThat(actual).as(context + " memory").isEqualTo(reference.memory());
        return board.counters().snapshot().get("translator", "regions");
    }

    /** A register value worth trying: 0, -1, the most negative, small, an int, any long (also the fuzz campaign's). */
    static long interesting(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MIN_VALUE;
            case 3 -> random.nextInt(64) - 32;
            case 4 -> random.nextInt();
            default -> random.nextLong();
        };
    }

    private static int[] generate(Random random) {
        int[] program = new int[LENGTH + 1];
        for (int i = 0; i < LENGTH; i++) {
            program[i] = instruction(random, LENGTH - i);
        }
        program[LENGTH] = wfi();
        return program;
    }

    /**
     * A random sequence run {@link #ROUNDS} times: x30 counts the rounds down (the random instructions use only
     * x0..x29 then), and a backward branch closes the loop.
     */
    private static int[] generateLoop(Random random) {
        int[] program = new int[LENGTH + 4];
        program[0] = iType(0x13, 0, LOOP_REGISTER, 0, ROUNDS);
        for (int i = 0; i < LENGTH; i++) {
            program[1 + i] = instruction(random, LENGTH - i, LOOP_REGISTER);
        }
        program[LENGTH + 1] = iType(0x13, 0, LOOP_REGISTER, LOOP_REGISTER, -1);
        program[LENGTH + 2] = bType(1, LOOP_REGISTER, 0, -4 * LENGTH - 4);
        program[LENGTH + 3] = wfi();
        return program;
    }

    private static int register(Random random, int limit) {
        return random.nextInt(limit);
    }

    /** A random OP or OP-32 instruction of the I base (FuzzProgram draws the same way, so seeds keep their programs). */
    static int registerOperation(Random random, int rd, int rs1, int rs2) {
        int[][] operations = {{0, 0}, {0, 0x20}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {5, 0x20}, {6, 0}, {7, 0}};
        int[] operation = operations[random.nextInt(operations.length)];
        if (random.nextBoolean()) {
            return op(operation[0], operation[1], rd, rs1, rs2);
        }
        int[][] wordOperations = {{0, 0}, {0, 0x20}, {1, 0}, {5, 0}, {5, 0x20}};
        int[] wordOperation = wordOperations[random.nextInt(wordOperations.length)];
        return op32(wordOperation[0], wordOperation[1], rd, rs1, rs2);
    }

    /** A random M-extension instruction, 64-bit or W form. */
    static int multiplyOperation(Random random, int rd, int rs1, int rs2) {
        return random.nextBoolean() ? op(random.nextInt(8), 1, rd, rs1, rs2)
                : op32(new int[] {0, 4, 5, 6, 7}[random.nextInt(5)], 1, rd, rs1, rs2);
    }

    private static int instruction(Random random, int remaining) {
        return instruction(random, remaining, 31);
    }

    private static int instruction(Random random, int remaining, int registers) {
        int rd = register(random, registers);
        int rs1 = register(random, registers);
        int rs2 = register(random, registers);
        int kind = random.nextInt(100);
        if (kind < 30) {
            return registerOperation(random, rd, rs1, rs2);
        }
        if (kind < 50) {
            int funct3 = new int[] {0, 2, 3, 4, 6, 7, 1, 5}[random.nextInt(8)];
            int imm = random.nextInt(4096) - 2048;
            if (funct3 == 1 || funct3 == 5) {
                imm = random.nextInt(64) | (funct3 == 5 && random.nextBoolean() ? 0x400 : 0);
            }
            if (random.nextInt(4) == 0) {
                return random.nextBoolean() ? addiw(rd, rs1, imm)
                        : iType(0x1b, funct3 == 1 ? 1 : 5, rd, rs1, (imm & 31) | (imm & 0x400));
            }
            return iType(0x13, funct3, rd, rs1, imm);
        }
        if (kind < 62) {
            return multiplyOperation(random, rd, rs1, rs2);
        }
        if (kind < 72) {
            return load(random.nextInt(7), rd, DATA_REGISTER, random.nextInt(2040));
        }
        if (kind < 82) {
            int offset = random.nextInt(2040);
            return sType(random.nextInt(4), DATA_REGISTER, rs2, offset);
        }
        if (kind < 92) {
            int distance = 4 * (1 + random.nextInt(Math.min(remaining, 16)));
            if (random.nextInt(4) == 0) {
                return jal(rd, distance);
            }
            return bType(new int[] {0, 1, 4, 5, 6, 7}[random.nextInt(6)], rs1, rs2, distance);
        }
        if (kind < 99 || random.nextInt(8) != 0) {
            int funct3 = new int[] {1, 2, 3, 5, 6, 7}[random.nextInt(6)];
            return csr(funct3, rd, 0x340, funct3 >= 5 ? random.nextInt(32) : rs1);
        }
        return random.nextBoolean() ? 0xffffffff : 0x0000707f;
    }

}
