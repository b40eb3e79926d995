package io.vmmlab.cpu.translate;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.device.RamOverlay;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.vmmlab.cpu.testing.Assembler.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translating engine where it differs from the interpreter: code written into translated regions, FENCE.I,
 * faults inside translated loops and budgets that cut regions. Every block is translated on its first execution;
 * where the expected state is not obvious, the same program runs on the interpreter and both must agree.
 */
final class TranslatedExecutionTest {
    private static final long BASE = TestBoard.RAM_BASE;
    private static final int RAM = 1 << 20;
    private static final TranslatorConfig EAGER = new TranslatorConfig(0, 64);

    private static long regions(TestBoard board) {
        return board.counters().snapshot().get("translator", "regions");
    }

    /**
     * Translated on its second execution, the loop's first block heads a region that also holds the second block
     * (decoded by then); rewriting the second block must drop the whole region, not just that block's own code.
     */
    @Test
    void aStoreIntoATranslatedRegionDropsItsCode() {
        TestBoard board = new TestBoard("rv64imac", RAM, new TranslatorConfig(1, 64));
        board.load(BASE, addi(A0, A0, 1), jal(0, 0x3c));
        board.load(BASE + 0x40, addi(A1, A1, 1), bne(A0, A2, -0x44), wfi());
        board.load(BASE + 0x100, sw(A3, A4, 0), jal(0, -0x104));
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, 3);
        hart.setRegister(A3, addi(A1, A1, 10));
        hart.setRegister(A4, BASE + 0x40);
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A1)).isEqualTo(3);
        assertThat(regions(board)).isPositive();
        hart.setRegister(A2, 6);
        hart.setPc(BASE + 0x100); // rewrites the second block of the translated loop
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(6);
        assertThat(hart.register(A1)).isEqualTo(33);
    }

    /**
     * With a builder on another thread, code built from a page that has changed since its region was chosen is
     * discarded: here the region's second block is rewritten while its code is being built, and attaching it would
     * run the old instruction.
     */
    @Test
    void codeBuiltFromAPageThatChangedMeanwhileIsDiscarded() {
        List<Runnable> pending = new ArrayList<>();
        TestBoard board = new TestBoard("rv64imac", RAM, new TranslatorConfig(1, 64, pending::add));
        board.load(BASE, addi(A0, A0, 1), jal(0, 0x3c));
        board.load(BASE + 0x40, addi(A1, A1, 1), bne(A0, A2, -0x44), wfi());
        board.load(BASE + 0x100, sw(A3, A4, 0), jal(0, -0x104));
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, 3);
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A1)).isEqualTo(3);
        assertThat(pending).isNotEmpty(); // the loop's region is being built
        hart.setRegister(A2, 6);
        hart.setRegister(A3, addi(A1, A1, 10));
        hart.setRegister(A4, BASE + 0x40);
        hart.setPc(BASE + 0x100);
        assertThat(hart.run(1)).isEqualTo(HartExit.BUDGET_EXHAUSTED); // rewrites the region's second block
        List<Runnable> built = new ArrayList<>(pending);
        pending.clear();
        built.forEach(Runnable::run); // the builder finishes, from the old instructions
        assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isEqualTo(6);
        assertThat(hart.register(A1)).isEqualTo(33);
    }

    /**
     * A loop of four blocks makes one region: while the region of its first block is being built, the others
     * (which run as often) do not ask for regions of their own; once it runs, budgets that end inside it do not make
     * the blocks where the next runs resume count either.
     */
    @Test
    void aLoopOfSeveralBlocksMakesOneRegion() {
        List<Runnable> pending = new ArrayList<>();
        TestBoard board = new TestBoard("rv64imac", RAM, new TranslatorConfig(10, 64, pending::add));
        Rv64Hart hart = loadAlternatingLoop(board, 100_000);
        assertThat(hart.run(5000)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        assertThat(regions(board)).isEqualTo(1);
        List<Runnable> built = new ArrayList<>(pending);
        pending.clear();
        built.forEach(Runnable::run);
        for (int i = 0; i < 2000; i++) {
            assertThat(hart.run(7)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        }
        assertThat(regions(board)).isEqualTo(1);
        assertAlternatingSum(hart);
    }

    /**
     * A new region's cut-short runs (TranslatedCode.runBudget) leave it in the middle, where control flow did not
     * choose to: the blocks the interpreter runs from there until the region's entry do not count towards
     * translation, so the loop stays one region however often its early runs are cut.
     */
    @Test
    void runsCutShortDoNotMakeRegionsOfTheirOwn() {
        TestBoard board = new TestBoard("rv64imac", RAM, new TranslatorConfig(10, 64));
        Rv64Hart hart = loadAlternatingLoop(board, 1_000_000);
        for (int i = 0; i < 20; i++) {
            assertThat(hart.run(4096)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
        }
        assertThat(regions(board)).isEqualTo(1);
        assertAlternatingSum(hart);
    }

    /**
     * Loads a loop of four blocks (count in a0 up to a2; add 3 to a1 on odd counts, subtract 1 on even ones) and
     * returns the hart, ready to run it.
     */
    private static Rv64Hart loadAlternatingLoop(TestBoard board, long iterations) {
        board.load(BASE, addi(A0, A0, 1), andi(T0, A0, 1), beq(T0, 0, 12), addi(A1, A1, 3), jal(0, 8),
                addi(A1, A1, -1), addi(A4, A4, 8), bne(A0, A2, -28), wfi());
        Rv64Hart hart = board.hart();
        hart.setRegister(A2, iterations);
        return hart;
    }

    /** The alternating loop's a1 agrees with its count in a0. */
    private static void assertAlternatingSum(Rv64Hart hart) {
        long loops = hart.register(A0);
        assertThat(hart.register(A1)).isEqualTo(3 * ((loops + 1) / 2) - loops / 2); // +3 when odd, -1 when even
    }

    /** Code built on another thread runs once the hart has attached it, with the interpreter's results. */
    @Test
    void codeBuiltInTheBackgroundIsAttachedBetweenRuns() {
        List<Runnable> pending = new ArrayList<>();
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, new TranslatorConfig(0, 64, pending::add)),
            new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.load(BASE, ld(T1, A1, 0), add(A3, A3, T1), sd(A3, A1, 8), addi(A1, A1, 8), addi(A0, A0, 1),
                    bne(A0, A2, -20), wfi());
            board.hart().setRegister(A1, BASE + 0x1000);
            board.hart().setRegister(A2, 300);
        }
        Rv64Hart translated = boards[0].hart();
        HartExit exit;
        do {
            exit = translated.run(50);
            assertThat(boards[1].hart().run(50)).isEqualTo(exit);
            List<Runnable> built = new ArrayList<>(pending);
            pending.clear();
            built.forEach(Runnable::run);
            assertSameState(translated, boards[1].hart());
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(regions(boards[0])).isPositive();
    }

    @Test
    void fenceIDropsTranslations() {
        TestBoard board = new TestBoard("rv64imac", RAM, EAGER);
        board.load(BASE, addi(A0, 0, 1), wfi());
        board.load(BASE + 0x100, fenceI(), wfi());
        Rv64Hart hart = board.hart();
        hart.run(100);
        assertThat(hart.register(A0)).isEqualTo(1);
        assertThat(regions(board)).isPositive();
        board.memory().write32(BASE, addi(A0, 0, 2));
        board.addHart(null).invalidateCode(BASE, 4); // told to another hart only: old code may run until FENCE.I
        hart.setPc(BASE + 0x100);
        hart.run(100);
        hart.setPc(BASE);
        hart.run(100);
        assertThat(hart.register(A0)).isEqualTo(2);
    }

    /** A loop that loads its way off the end of RAM: the access fault comes from inside translated code. */
    @Test
    void aFaultInsideATranslatedLoopIsPrecise() {
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.load(BASE, ld(T1, A1, 0), add(A3, A3, T1), addi(A1, A1, 8), addi(A0, A0, 1), bne(A0, A2, -16),
                    wfi());
            board.load(BASE + 0x800, wfi());
            Rv64Hart hart = board.hart();
            hart.writeCsr(CsrAddress.MTVEC, BASE + 0x800);
            hart.setRegister(A1, BASE + RAM - 8 * 100);
            hart.setRegister(A2, 1000);
            assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        Rv64Hart translated = boards[0].hart();
        assertThat(translated.readCsr(CsrAddress.MCAUSE)).isEqualTo(5); // load access fault
        assertThat(translated.readCsr(CsrAddress.MEPC)).isEqualTo(BASE);
        assertThat(translated.readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + RAM);
        assertThat(regions(boards[0])).isPositive();
        assertSameState(translated, boards[1].hart());
    }

    /** Budgets that end runs inside regions and between their blocks: both engines stop at the same places. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 11, 13, 64})
    void runsInSlicesStopWhereTheInterpreterStops(int slice) {
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.load(BASE, addi(A0, A0, 1), andi(T0, A0, 3), beq(T0, 0, 12), addi(A1, A1, 3), jal(0, 8),
                    addi(A1, A1, -1), sd(A1, A4, 0), addi(A4, A4, 8), bne(A0, A2, -32), wfi());
            board.hart().setRegister(A2, 200);
            board.hart().setRegister(A4, BASE + 0x8000);
        }
        runInSlices(boards, slice);
        assertThat(boards[0].hart().register(A1)).isEqualTo(50 * 3 * 3 - 50);
        if (slice <= 2) {
            // Every run starts where the last one's budget ended (a block entered there does not count towards
            // translation) and ends before a second block: nothing is translated.
            assertThat(regions(boards[0])).isZero();
        } else {
            assertThat(regions(boards[0])).isPositive();
        }
    }

    /**
     * A short loop of one block (a JVM loop inside its region): budgets of every residue end runs before and inside
     * its iterations, entered both from the region's other block and as a region of its own, and its loads cross
     * pages (TLB misses leave the region mid-block).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 64, 1000})
    void aSelfLoopStopsWhereTheInterpreterStops(int slice) {
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        long data = BASE + 0x8000;
        for (TestBoard board : boards) {
            board.load(BASE, addi(A3, A3, 1), addi(A0, 0, 0), lbu(T1, A4, 0), add(A5, A5, T1), addi(A4, A4, 1),
                    addi(A0, A0, 1), bne(A0, A2, -16), bne(A3, S1, -28), wfi());
            for (int i = 0; i < 0x3000; i++) {
                board.memory().write8(data + i, i * 7 + 1);
            }
            board.hart().setRegister(A2, 7);
            board.hart().setRegister(S1, 1500); // 10500 bytes: the loads cross two page boundaries
            board.hart().setRegister(A4, data);
        }
        runInSlices(boards, slice);
        long sum = 0;
        for (int i = 0; i < 1500 * 7; i++) {
            sum += (i * 7 + 1) & 0xff;
        }
        assertThat(boards[0].hart().register(A5)).isEqualTo(sum);
        if (slice > 2) {
            assertThat(regions(boards[0])).isPositive();
        }
    }

    /**
     * Accesses off one base register share one TLB probe (a group): a group that straddles a page boundary, a load
     * that overwrites the base register inside a group, and a store group that runs off the end of RAM from a page
     * the TLB maps (the first store of the group lands, the second faults precisely) give the interpreter's results.
     */
    @ParameterizedTest
    @CsvSource({"0x2000, 0x100000", "0x2ff8, 0x100000", "0x2ffc, 0x100000", "0x2ff0, 0x100000",
        "0x2ff0, 0x300000"}) // and a RAM whose size is no power of two: its index mask exceeds the array
    void memoryGroupsAgreeWithTheInterpreter(String offsetText, String ramText) {
        long offset = Long.decode(offsetText);
        int ram = Integer.decode(ramText);
        TestBoard[] boards = {new TestBoard("rv64imac", ram, EAGER), new TestBoard("rv64imac", ram)};
        for (TestBoard board : boards) {
            board.load(BASE, sd(A0, A4, 0), sd(A1, A4, 8), ld(T1, A4, 0), lw(T2, A4, 4), ld(A4, A4, 8),
                    ld(T3, A4, 16), add(A3, A3, T1), add(A3, A3, T2), add(A3, A3, T3), addi(A0, A0, 1),
                    addi(A4, A5, 0), sd(A0, S0, 0), bne(A0, A2, -48), sd(A0, S1, 0), sd(A1, S1, 8), wfi());
            board.load(BASE + 0x800, wfi());
            Rv64Hart hart = board.hart();
            hart.writeCsr(CsrAddress.MTVEC, BASE + 0x800);
            hart.setRegister(A5, BASE + offset);
            hart.setRegister(A4, BASE + offset);
            hart.setRegister(A1, BASE + offset + 0x100); // so ld a4, 8(a4) moves the base to a second area
            hart.setRegister(A2, 50);
            hart.setRegister(S1, BASE + ram - 8); // the final pair: the second store is past the end of RAM
            hart.setRegister(S0, BASE + ram - 16); // puts the last page in the store TLB
            assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        Rv64Hart translated = boards[0].hart();
        assertThat(translated.readCsr(CsrAddress.MCAUSE)).isEqualTo(7); // store access fault
        assertThat(translated.readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + ram);
        assertThat(boards[0].memory().read64(BASE + ram - 8)).isEqualTo(50);
        assertThat(regions(boards[0])).isPositive();
        assertSameState(translated, boards[1].hart());
    }

    /**
     * Machine-mode code whose loads and stores go through Sv39 (MPRV=1, MPP=S) to a page mapped away from its own
     * address: translated accesses must add the TLB's addend (only the machine-mode TLB maps pages onto themselves).
     */
    @Test
    void translatedAccessesThroughPageTablesUseTheTranslation() {
        long root = BASE + 0x10000;
        long level1 = BASE + 0x11000;
        long level0 = BASE + 0x12000;
        long data = BASE + 0x20000;
        long virtual = 0x4000_0000L;
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.memory().write64(root + 8, Pte.entry(level1, Pte.V));
            board.memory().write64(level1, Pte.entry(level0, Pte.V));
            board.memory().write64(level0, Pte.entry(data, Pte.R | Pte.W | Pte.A | Pte.D | Pte.V));
            board.memory().write64(data, 3);
            board.load(BASE, ld(T1, A1, 0), add(A3, A3, T1), sd(A3, A1, 8), addi(A0, A0, 1), bne(A0, A2, -16),
                    wfi());
            Rv64Hart hart = board.hart();
            hart.writeCsr(CsrAddress.SATP, 8L << 60 | root >>> 12);
            hart.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_MPRV | 1L << CsrAddress.STATUS_MPP_SHIFT);
            hart.setRegister(A1, virtual);
            hart.setRegister(A2, 3000);
            assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        assertThat(boards[0].hart().register(A3)).isEqualTo(9000);
        assertThat(boards[0].memory().read64(data + 8)).isEqualTo(9000);
        assertThat(regions(boards[0])).isPositive();
        assertSameState(boards[0].hart(), boards[1].hart());
    }

    /**
     * Machine-mode loads read RAM at their own address without a TLB probe, unless a device window covers RAM: a
     * window mapped over a RAM page between two runs must answer the translated loop's loads from then on.
     */
    @Test
    void untranslatedLoadsSeeADeviceWindowMappedOverRam() {
        long window = BASE + 0x8000;
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.memory().write64(window, 5);
            board.load(BASE, ld(T1, A1, 0), add(A3, A3, T1), addi(A0, A0, 1), bne(A0, A2, -12), wfi());
            Rv64Hart hart = board.hart();
            hart.setRegister(A1, window);
            hart.setRegister(A2, 4000);
            assertThat(hart.run(6000)).isEqualTo(HartExit.BUDGET_EXHAUSTED);
            board.mmio().map("counter", new AddressRange(window, 0x1000), new MmioDevice() {
                @Override
                public long read(long offset, int size) {
                    return 7;
                }

                @Override
                public void write(long offset, int size, long value) {
                }
            });
            hart.flushCaches(); // as a board does after changing its device map (the TLB holds the page as RAM)
            assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        assertThat(regions(boards[0])).isPositive();
        assertThat(boards[0].hart().register(A3)).isEqualTo(5L * 1500 + 7L * 2500); // 1500 loops in 6000 instructions
        assertSameState(boards[0].hart(), boards[1].hart());
    }

    /**
     * A device window over part of a code page (the host-target interface on a {@code tohost} word next to the code)
     * takes that word's stores, and the code around it still runs from RAM: it had been an instruction access fault
     * at the page's first fetch.
     */
    @Test
    void codeRunsFromAPageADeviceWindowOverlaysInPart() {
        long word = BASE + 0x40;
        List<Long> stored = new ArrayList<>();
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.mmio().map("tohost", new AddressRange(word, 8), ramOverlay(board, word, stored));
            board.load(BASE, addi(A0, A0, 1), sd(A0, A1, 0), bne(A0, A2, -8), ld(A3, A1, 0), wfi());
            Rv64Hart hart = board.hart();
            hart.setRegister(A1, word);
            hart.setRegister(A2, 3);
            assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
            assertThat(hart.register(A3)).isEqualTo(3);
        }
        assertThat(stored).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
        assertSameState(boards[0].hart(), boards[1].hart());
    }

    /** A RAM overlay over the 8 bytes at {@code word}, as the host-target interface: noting the values stored. */
    private static RamOverlay ramOverlay(TestBoard board, long word, List<Long> stored) {
        return new RamOverlay() {
            @Override
            public long read(long offset, int size) {
                return board.memory().read(word + offset, size);
            }

            @Override
            public void write(long offset, int size, long value) {
                stored.add(value);
                board.memory().write(word + offset, size, value);
            }
        };
    }

    /**
     * Code rewritten through a RAM overlay's window is fetched anew after FENCE.I (the overlay writes the RAM
     * beneath, which the hart's own code-write tracking did not see), on both engines.
     */
    @Test
    void codeRewrittenThroughARamOverlayRunsAfterFenceI() {
        long word = BASE + 0x40;
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.mmio().map("tohost", new AddressRange(word, 8), ramOverlay(board, word, new ArrayList<>()));
            board.load(word, addi(A0, A0, 1), jalr(0, RA, 0));
            // call the word's code, rewrite it through the window, FENCE.I, call it again
            board.load(BASE, jal(RA, 0x40), sd(A2, A1, 0), fenceI(), jal(RA, 0x34), wfi());
            Rv64Hart hart = board.hart();
            hart.setRegister(A1, word);
            hart.setRegister(A2, (long) addi(A0, A0, 5) & 0xffff_ffffL | (long) jalr(0, RA, 0) << 32);
            assertThat(hart.run(1000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
            assertThat(hart.register(A0)).isEqualTo(6);
        }
    }

    /** A device window that is not a RAM overlay makes its page unexecutable, even where RAM lies beneath. */
    @Test
    void aPageADevicesWindowTouchesIsNotExecutable() {
        TestBoard board = new TestBoard("rv64imac", RAM);
        board.mmio().map("registers", new AddressRange(BASE + 0x1f00, 0x100), new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        });
        board.load(BASE, jal(0, 0x1000));
        board.load(BASE + 0x1000, addi(A0, A0, 7), wfi());
        board.load(BASE + 0x800, wfi());
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, BASE + 0x800);
        assertThat(hart.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        assertThat(hart.register(A0)).isZero();
        assertThat(hart.readCsr(CsrAddress.MCAUSE)).isEqualTo(1); // instruction access fault
    }

    /**
     * A machine-mode load group walking up to the end of RAM: once its second load lies past the end, the group
     * leaves translated code before its first load and the interpreter faults on the second, precisely.
     */
    @Test
    void anUntranslatedLoadGroupRunningOffTheEndOfRamFaultsPrecisely() {
        TestBoard[] boards = {new TestBoard("rv64imac", RAM, EAGER), new TestBoard("rv64imac", RAM)};
        for (TestBoard board : boards) {
            board.load(BASE, ld(T1, S0, 0), ld(T2, S0, 8), add(A3, A3, T2), addi(S0, S0, 8), jal(0, -16));
            board.load(BASE + 0x800, wfi());
            Rv64Hart hart = board.hart();
            hart.writeCsr(CsrAddress.MTVEC, BASE + 0x800);
            hart.setRegister(S0, BASE + RAM - 8 * 1000);
            assertThat(hart.run(100_000)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        Rv64Hart translated = boards[0].hart();
        assertThat(regions(boards[0])).isPositive();
        assertThat(translated.readCsr(CsrAddress.MCAUSE)).isEqualTo(5); // load access fault
        assertThat(translated.readCsr(CsrAddress.MEPC)).isEqualTo(BASE + 4);
        assertThat(translated.readCsr(CsrAddress.MTVAL)).isEqualTo(BASE + RAM);
        assertThat(translated.register(S0)).isEqualTo(BASE + RAM - 8);
        assertSameState(translated, boards[1].hart());
    }

    /**
     * Runs the translating board and the interpreting one in runs of {@code slice} instructions until the program's
     * final WFI; after every run both must have stopped in the same way and hold the same state.
     */
    private static void runInSlices(TestBoard[] boards, int slice) {
        HartExit exit;
        do {
            exit = boards[0].hart().run(slice);
            assertThat(boards[1].hart().run(slice)).isEqualTo(exit);
            assertSameState(boards[0].hart(), boards[1].hart());
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        assertThat(exit).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
    }

    private static void assertSameState(Rv64Hart translated, Rv64Hart interpreted) {
        for (int register = 0; register < 32; register++) {
            assertThat(translated.register(register)).as("x" + register).isEqualTo(interpreted.register(register));
        }
        assertThat(translated.pc()).as("pc").isEqualTo(interpreted.pc());
        assertThat(translated.instructionsRetired()).as("instret").isEqualTo(interpreted.instructionsRetired());
        for (int csr : new int[] {CsrAddress.MCAUSE, CsrAddress.MEPC, CsrAddress.MTVAL}) {
            assertThat(translated.readCsr(csr)).as("csr 0x%x", csr).isEqualTo(interpreted.readCsr(csr));
        }
    }
}
