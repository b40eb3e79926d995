package io.vmmlab.cpu.rv64;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.testing.ReferenceAlu;
import io.vmmlab.cpu.testing.ReferenceBitManip;
import io.vmmlab.cpu.testing.ReferenceCrypto;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random loops of Zba, Zbb, Zbc, Zbs, Zicond, Zbkb, Zbkc, Zbkx and the Zkn/Zks scalar cryptography instructions mixed
 * with base integer ones, on a hart with all of them: the interpreter and the translator (translating every block at
 * once) must leave every register as the references ({@link ReferenceBitManip}, bit by bit, and
 * {@link ReferenceCrypto}, from the algorithms' standards) compute it, and retire as many instructions. Fixed seeds keep it
 * reproducible.
 */
final class BitManipDifferentialTest {
    private static final int SEQUENCES = 200;
    private static final int LENGTH = 120;
    private static final int ROUNDS = 4;
    private static final int LOOP_REGISTER = 30;
    private static final long BASE = TestBoard.RAM_BASE;
    /** The Zb* encodings with rd, rs1, rs2 and a shift amount cleared (filled in per instruction). */
    private static final int AES64KS1I = 0x31001013;
    private static final int SM4ED = 0x30000033;
    private static final int SM4KS = 0x34000033;
    private static final int[] TEMPLATES = {
        0x0800003b, 0x20002033, 0x20004033, 0x20006033, 0x2000203b, 0x2000403b, 0x2000603b, 0x0800101b,
        0x40007033, 0x40006033, 0x40004033, 0x60001013, 0x6000101b, 0x60101013, 0x6010101b, 0x60201013,
        0x6020101b, 0x0a006033, 0x0a007033, 0x0a004033, 0x0a005033, 0x60401013, 0x60501013, 0x0800403b,
        0x60001033, 0x6000103b, 0x60005033, 0x60005013, 0x6000501b, 0x6000503b, 0x28705013, 0x6b805013,
        0x48001033, 0x48001013, 0x48005033, 0x48005013, 0x68001033, 0x68001013, 0x28001033, 0x28001013,
        0x0a001033, 0x0a003033, 0x0a002033,
        // Zicond, Zbkb, Zbkx
        0x0e005033, 0x0e007033, 0x08004033, 0x08007033, 0x0800403b, 0x68705013, 0x28002033, 0x28004033,
        // Zknd/Zkne (aes64ds ... aes64ks2), Zknh, Zksh, Zksed (a round number or byte select filled in)
        0x3a000033, 0x3e000033, 0x32000033, 0x36000033, 0x30001013, AES64KS1I, 0x7e000033,
        0x10201013, 0x10301013, 0x10001013, 0x10101013, 0x10601013, 0x10701013, 0x10401013, 0x10501013,
        0x10801013, 0x10901013, SM4ED, SM4KS,
    };
    /** Which templates take a shift amount (6 bits, or 5 for RORIW) and which read rs2. */
    private static final boolean[] SHIFT = new boolean[TEMPLATES.length];
    private static final boolean[] USES_RS2 = new boolean[TEMPLATES.length];

    static {
        for (int index : new int[] {7, 27, 28, 33, 35, 37, 39}) {
            SHIFT[index] = true;
        }
        for (int index = 0; index < TEMPLATES.length; index++) {
            int opcode = TEMPLATES[index] & 0x7f;
            USES_RS2[index] = (opcode == 0x33 || opcode == 0x3b) && index != 23; // zext.h has rs2 = 0
        }
    }

    @Test
    void interpreterMatchesTheReference() {
        for (int seed = 0; seed < SEQUENCES; seed++) {
            run(seed, null);
        }
    }

    @Test
    void translatedLoopsMatchTheReference() {
        for (int seed = 0; seed < SEQUENCES; seed++) {
            assertThat(run(seed, new TranslatorConfig(0, 8192))).as("regions translated, seed %d", seed).isPositive();
        }
    }

    private static long run(int seed, TranslatorConfig translator) {
        Random random = new Random(seed);
        int[] program = new int[LENGTH + 4];
        program[0] = iType(0x13, 0, LOOP_REGISTER, 0, ROUNDS);
        for (int i = 0; i < LENGTH; i++) {
            program[1 + i] = instruction(random);
        }
        program[LENGTH + 1] = iType(0x13, 0, LOOP_REGISTER, LOOP_REGISTER, -1);
        program[LENGTH + 2] = bType(1, LOOP_REGISTER, 0, -4 * LENGTH - 4);
        program[LENGTH + 3] = wfi();
        TestBoard board = new TestBoard("rv64imac_zicond_zba_zbb_zbc_zbs_zkn_zks", 64 << 10, translator);
        board.load(BASE, program);
        Rv64Hart hart = board.hart();
        long[] reference = new long[32];
        for (int register = 1; register < LOOP_REGISTER; register++) {
            long value = DifferentialTest.interesting(random);
            hart.setRegister(register, value);
            reference[register] = value;
        }
        HartExit exit;
        int budget = 100 * LENGTH;
        do {
            exit = hart.run(budget);
        } while (exit == HartExit.BUDGET_EXHAUSTED && hart.instructionsRetired() < 100L * LENGTH);

        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 1; i <= LENGTH; i++) {
                execute(program[i], reference);
            }
        }
        String context = "seed " + seed + (translator == null ? "" : ", translated");
        assertThat(exit).as(context).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        for (int register = 1; register < LOOP_REGISTER; register++) {
            assertThat(hart.register(register)).as(context + " x" + register).isEqualTo(reference[register]);
        }
        assertThat(hart.instructionsRetired()).as(context + " retired").isEqualTo(1 + ROUNDS * (LENGTH + 2L) + 1);
        return board.counters().snapshot().get("translator", "regions");
    }

    /** A Zb* instruction most of the time, else a base OP or OP-IMM one, on x0..x29. */
    private static int instruction(Random random) {
        int rd = random.nextInt(LOOP_REGISTER);
        int rs1 = random.nextInt(LOOP_REGISTER);
        int rs2 = random.nextInt(LOOP_REGISTER);
        if (random.nextInt(4) == 0) {
            return random.nextBoolean() ? DifferentialTest.registerOperation(random, rd, rs1, rs2)
                    : iType(0x13, new int[] {0, 4, 6, 7}[random.nextInt(4)], rd, rs1, random.nextInt(4096) - 2048);
        }
        int index = random.nextInt(TEMPLATES.length);
        int insn = TEMPLATES[index] | rd << 7 | rs1 << 15;
        if (SHIFT[index]) {
            insn |= random.nextInt(index == 28 ? 32 : 64) << 20;
        } else if (USES_RS2[index]) {
            insn |= rs2 << 20;
        }
        if (TEMPLATES[index] == AES64KS1I) {
            insn |= random.nextInt(11) << 20;
        } else if (TEMPLATES[index] == SM4ED || TEMPLATES[index] == SM4KS) {
            insn |= random.nextInt(4) << 30;
        }
        return insn;
    }

    private static void execute(int insn, long[] x) {
        int rd = (insn >>> 7) & 0x1f;
        long a = x[(insn >>> 15) & 0x1f];
        long b = x[(insn >>> 20) & 0x1f];
        int funct3 = (insn >>> 12) & 7;
        OptionalLong special = ReferenceBitManip.execute(insn, a, b);
        long result = (special.isPresent() ? special : ReferenceCrypto.execute(insn, a, b)).orElseGet(() ->
                switch (insn & 0x7f) {
            case 0x13 -> ReferenceAlu.immediate(funct3, insn, a, insn >> 20);
            case 0x33 -> ReferenceAlu.integer(funct3, insn >>> 25, a, b);
            case 0x3b -> (int) ReferenceAlu.integerWord(funct3, insn >>> 25, (int) a, (int) b);
            default -> throw new IllegalStateException(String.format("not generated: %08x", insn));
        });
        if (rd != 0) {
            x[rd] = result;
        }
    }
}
