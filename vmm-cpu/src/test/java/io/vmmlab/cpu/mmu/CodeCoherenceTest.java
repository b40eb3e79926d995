package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.RA;
import static io.vmmlab.cpu.testing.Assembler.S0;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.T3;
import static io.vmmlab.cpu.testing.Assembler.ZERO;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.beq;
import static io.vmmlab.cpu.testing.Assembler.fenceI;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.jalr;
import static io.vmmlab.cpu.testing.Assembler.lw;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static io.vmmlab.cpu.testing.Assembler.wfi;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FENCE.I no longer drops all decoded code, only what was written since (Zifencei): a store by another hart, or a host
 * write (DMA, a VMM) told to any hart, into a page this hart decoded is seen after its FENCE.I, on both engines.
 */
final class CodeCoherenceTest {
    private static final long CALL = TestBoard.RAM_BASE + 0x1000;
    private static final long FENCE_AND_CALL = TestBoard.RAM_BASE + 0x1100;
    private static final long FUNCTION = TestBoard.RAM_BASE + 0x3000;
    private static final long STORE = TestBoard.RAM_BASE + 0x5000;
    private static final long WRITER_LOOP = TestBoard.RAM_BASE + 0x6000;
    private static final long RUNNING = TestBoard.RAM_BASE + 0x7000;
    private static final long GO = RUNNING + 4;
    private static final long DONE = RUNNING + 8;
    private static final TranslatorConfig TRANSLATE_AT_ONCE = new TranslatorConfig(0, 8192,
            TranslatorConfig.ON_THE_HART);

    private TestBoard board;
    private Rv64Hart caller;
    private Rv64Hart writer;

    private void setUp(boolean translator) {
        board = new TestBoard("rv64imac", 1 << 20, translator ? TRANSLATE_AT_ONCE : null);
        board.load(CALL, jal(RA, (int) (FUNCTION - CALL)), wfi());
        board.load(FENCE_AND_CALL, fenceI(), jal(RA, (int) (FUNCTION - FENCE_AND_CALL - 4)), wfi());
        board.load(FUNCTION, addi(A0, 0, 1), jalr(0, RA, 0));
        board.load(STORE, sw(T0, T1, 0), wfi());
        caller = board.hart();
        writer = board.addHart(translator ? TRANSLATE_AT_ONCE : null);
    }

    /** Runs the function on the caller (decoding, and translating it), with FENCE.I first or not. */
    private long call(boolean fence) {
        for (int round = 0; round < 3; round++) { // the translator attaches a region on a later run
            caller.setPc(fence ? FENCE_AND_CALL : CALL);
            assertThat(caller.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
        return caller.register(A0);
    }

    /** The writer hart stores a word (in machine mode: physical addresses). */
    private void store(long address, int word) {
        writer.setPc(STORE);
        writer.setRegister(T0, word);
        writer.setRegister(T1, address);
        assertThat(writer.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
    }

    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void anotherHartsStoreIsSeenAfterFenceI(boolean translator) {
        setUp(translator);
        assertThat(call(false)).isEqualTo(1);

        store(FUNCTION, addi(A0, 0, 2));

        assertThat(call(true)).as("after FENCE.I").isEqualTo(2);
    }

    /**
     * The writer stored into the page while it was data, so its store TLB entry for the page is a fast one; once the
     * caller has decoded the page, the writer's stores must take the slow path that counts them.
     */
    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void aFastStoreEntryMadeBeforeThePageWasCodeDoesNotHideAStore(boolean translator) {
        setUp(translator);
        store(FUNCTION, addi(A0, 0, 1)); // the same word: the writer now maps the page for fast stores
        assertThat(call(false)).isEqualTo(1);

        store(FUNCTION, addi(A0, 0, 2));

        assertThat(call(true)).as("after FENCE.I").isEqualTo(2);
    }

    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void aHostWriteToldToAnyHartIsSeenAfterFenceI(boolean translator) {
        setUp(translator);
        assertThat(call(false)).isEqualTo(1);

        board.memory().write32(FUNCTION, addi(A0, 0, 3)); // a device's DMA or a VMM: it tells some hart
        writer.invalidateCode(FUNCTION, 4);

        assertThat(call(true)).as("after FENCE.I").isEqualTo(3);
    }

    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void aStoreOfTheHartItselfIsSeenAtOnce(boolean translator) {
        setUp(translator);
        assertThat(call(false)).isEqualTo(1);
        caller.setPc(STORE);
        caller.setRegister(T0, addi(A0, 0, 4));
        caller.setRegister(T1, FUNCTION);
        caller.run(100);

        assertThat(call(false)).isEqualTo(4);
    }

    /**
     * The path only harts on different threads take: the caller decodes the page while the writer runs on another
     * thread with a fast store entry for the page made before (a hart drops such entries only when it starts a run).
     * The writer's store through that entry is not counted, so the caller's page is untrusted and its next FENCE.I
     * drops it anyway.
     */
    @ParameterizedTest(name = "translator {0}")
    @ValueSource(booleans = {false, true})
    void aStoreByAHartRunningOnAnotherThreadIsSeenAfterFenceI(boolean translator) throws Exception {
        setUp(translator);
        // On its own thread the writer stores the same word into FUNCTION (mapping the page for fast stores while
        // it is data), says it runs, waits for GO, stores the new word through that entry, and says DONE.
        board.load(WRITER_LOOP, sw(S0, T1, 0), sw(A2, A3, 0), lw(T2, T3, 0), beq(T2, ZERO, -4), sw(T0, T1, 0),
                sw(A2, A1, 0), wfi());
        writer.setPc(WRITER_LOOP);
        writer.setRegister(S0, addi(A0, 0, 1));
        writer.setRegister(T0, addi(A0, 0, 2));
        writer.setRegister(T1, FUNCTION);
        writer.setRegister(T3, GO);
        writer.setRegister(A1, DONE);
        writer.setRegister(A2, 1);
        writer.setRegister(A3, RUNNING);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<HartExit> writerRun = thread.submit(() -> writer.run(Long.MAX_VALUE));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (board.memory().read32(RUNNING) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(board.memory().read32(RUNNING)).as("the writer runs").isEqualTo(1);

            assertThat(call(false)).isEqualTo(1); // decoded (and translated) while the writer runs
            board.memory().write32(GO, 1);

            assertThat(writerRun.get(10, TimeUnit.SECONDS)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
            assertThat(board.memory().read32(DONE)).isEqualTo(1);
            assertThat(call(true)).as("after FENCE.I").isEqualTo(2);
        } finally {
            writer.requestExit();
            thread.shutdownNow();
        }
    }

    /** Nothing written: FENCE.I keeps the translations (it used to drop every decoded page, translations with them). */
    @Test
    void fenceIKeepsCodeNobodyWrote() {
        setUp(true);
        assertThat(call(true)).isEqualTo(1);
        long regions = board.counters().snapshot().get("translator", "regions");
        assertThat(regions).isPositive();

        assertThat(call(true)).isEqualTo(1);

        assertThat(board.counters().snapshot().get("translator", "regions")).as("regions built again")
                .isEqualTo(regions);
    }
}
