package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import io.vmmlab.runtime.bootstrap.VmmBootstrap;
import io.vmmlab.runtime.cost.CostModelCatalog;
import io.vmmlab.runtime.discovery.Plugins;
import io.vmmlab.runtime.experiment.CapturingConsole;
import io.vmmlab.runtime.experiment.Experiment;
import io.vmmlab.runtime.run.RunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * A debugger on a real run (the native strategy, the default hart engine, bare-metal guests), speaking GDB's protocol
 * through the stub's port: the machine waits before its first instruction, steps, stops at a breakpoint before the
 * instruction there, shows registers and memory, stops on the user's interrupt, and ends with the run.
 */
@Timeout(120) // a stub that stops answering fails the test instead of hanging the build
final class GdbServerTest {
    private static final long ENTRY = 0x8000_0000L;
    /** j . */
    private static final int[] LOOP = {0x0000006f};
    /** auipc t0, 1; li t1, 5; sd t1, 8(t0); j . */
    private static final int[] STORE = {0x00001297, 0x00500313, 0x0062b423, 0x0000006f};
    /** csrr t0, mhartid; bnez t0, 1f; 2: j 2b; 1: nop; j . (hart 0 spins at +8, the others at +16) */
    private static final int[] TWO_HARTS = {0xf14022f3, 0x00029463, 0x0000006f, 0x00000013, 0x0000006f};

    private GdbServer server;
    private Socket socket;
    private RspChannel gdb;

    @AfterEach
    void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void stepsStopsAtABreakpointAndFollowsTheRunToItsEnd() throws Exception {
        CompletableFuture<RunResult> run = start(Experiment.builder().kernel("bundled:bench-small").firmware("none"));

        assertThat(ask("?")).isEqualTo("T05thread:1;");
        assertThat(pc()).as("held before the first instruction").isEqualTo(ENTRY);
        assertThat(ask("m80000000,4")).as("csrr t0, mhartid").isEqualTo("f32240f1");
        assertThat(ask("s")).isEqualTo("T05thread:1;");
        assertThat(pc()).isEqualTo(ENTRY + 4);
        assertThat(ask("Z0,80000008,4")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05thread:1;swbreak:;");
        assertThat(pc()).as("held before the instruction at the breakpoint").isEqualTo(ENTRY + 8);
        assertThat(ask("P5=2a00000000000000")).isEqualTo("OK");
        assertThat(ask("p5")).as("t0 written").isEqualTo("2a00000000000000");
        assertThat(ask("z0,80000008,4")).isEqualTo("OK");
        assertThat(ask("c")).as("the guest powers off: exit status 0").isEqualTo("W00");

        assertThat(run.get(60, TimeUnit.SECONDS).outcome().status()).isEqualTo(GuestOutcome.Status.POWERED_OFF);
    }

    @Test
    void theUsersInterruptStopsARunningGuestAndKillEndsTheRun(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 1, LOOP);
        assertThat(ask("?")).isEqualTo("T05thread:1;");

        gdb.sendPacket("c");
        Thread.sleep(200);
        socket.getOutputStream().write(0x03);
        socket.getOutputStream().flush();

        assertThat(gdb.receive()).isEqualTo("T02thread:1;");
        assertThat(pc()).isEqualTo(ENTRY);
        gdb.sendPacket("k");
        RunResult result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.outcome().message()).isEqualTo("killed by the debugger");
        assertThat(result.instructions()).as("it ran until interrupted").isPositive();
    }

    @Test
    void aWriteWatchpointStopsBeforeTheStoreAndMonitorShowsTheVmmsSide(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 1, STORE);
        assertThat(ask("?")).isEqualTo("T05thread:1;");

        assertThat(ask("Z2,80001008,8")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05thread:1;watch:80001008;");
        assertThat(pc()).as("before the store, as GDB expects of RISC-V").isEqualTo(ENTRY + 8);
        assertThat(ask("m80001008,8")).isEqualTo("0000000000000000");
        assertThat(ask("z2,80001008,8")).isEqualTo("OK");
        assertThat(ask("s")).isEqualTo("T05thread:1;");
        assertThat(ask("m80001008,8")).isEqualTo("0500000000000000");
        String harts = new String(HexFormat.of().parseHex(ask("qRcmd," + HexFormat.of().formatHex("harts".getBytes()))));
        assertThat(harts).isEqualTo("hart 0 (thread 1): pc 0x8000000c, machine, 3 instructions\n");

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /**
     * On two harts, a breakpoint the second hart hits: the stop names thread 2, and GDB's next register read, with no
     * thread selected since, is that hart's (GDB takes the stop's thread as the current one).
     */
    @Test
    void aStopOnAnotherHartMakesItTheCurrentThread(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 2, TWO_HARTS);
        assertThat(ask("?")).isEqualTo("T05thread:1;");
        assertThat(ask("qfThreadInfo")).isEqualTo("m1,2");

        assertThat(ask("Z0,8000000c,4")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05thread:2;swbreak:;");
        assertThat(pc()).isEqualTo(ENTRY + 12);
        assertThat(ask("m80000000,2000")).as("a read longer than a reply holds is cut short, not refused")
                .hasSize(2 * 0x1fe0);

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /**
     * Breakpoints in both harts' loops: the round after a stop starts with the next hart, so the second one gets its
     * turn (it never ran while the first hit its breakpoint at once); Hc naming one thread makes s and c move that hart
     * alone.
     */
    @Test
    void everyHartGetsItsTurnAndHcRunsOneAlone(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 2, TWO_HARTS);
        assertThat(ask("?")).isEqualTo("T05thread:1;");
        assertThat(ask("Hc2")).isEqualTo("OK");
        assertThat(ask("s")).as("hart 1 alone").isEqualTo("T05thread:2;");
        assertThat(ask("Hg1")).isEqualTo("OK");
        assertThat(pc()).as("hart 0 kept still").isEqualTo(ENTRY);

        assertThat(ask("Z0,80000008,4")).isEqualTo("OK");
        assertThat(ask("Z0,80000010,4")).isEqualTo("OK");
        assertThat(ask("Hc0")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05thread:1;swbreak:;");
        assertThat(ask("c")).as("hart 0 would stop at once again; hart 1's turn first").isEqualTo("T05thread:2;swbreak:;");
        assertThat(pc()).isEqualTo(ENTRY + 16);
        assertThat(ask("M80002000,1800:" + "ab".repeat(0x1800))).as("a write longer than 4 KiB").isEqualTo("OK");

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /** A breakpoint at a store that a watchpoint watches: the breakpoint first, then, going on, the watchpoint. */
    @Test
    void aWatchedStoreAtABreakpointStillStopsTheWatchpoint(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 1, STORE);
        assertThat(ask("?")).isEqualTo("T05thread:1;");

        assertThat(ask("Z0,80000008,4")).isEqualTo("OK");
        assertThat(ask("Z2,80001008,8")).isEqualTo("OK");
        assertThat(ask("c")).isEqualTo("T05thread:1;swbreak:;");
        assertThat(ask("c")).isEqualTo("T05thread:1;watch:80001008;");
        assertThat(ask("m80001008,8")).as("not written yet").isEqualTo("0000000000000000");

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /** A debugger that goes away while the guest runs: the run goes on, and the next one to connect finds it held. */
    @Test
    void aDebuggerGoneDuringAContinueLetsTheNextOneIn(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 1, LOOP);
        assertThat(ask("?")).isEqualTo("T05thread:1;");
        gdb.sendPacket("c");
        socket.close();

        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        gdb = new RspChannel(socket.getInputStream(), socket.getOutputStream());
        assertThat(ask("?")).isEqualTo("T02thread:1;");

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /** A debugger that detached, then another that connects: the machine is held for the second one. */
    @Test
    void aSecondDebuggerFindsTheMachineHeldForIt(@TempDir Path directory) throws Exception {
        CompletableFuture<RunResult> run = startProgram(directory, 1, LOOP);
        assertThat(ask("?")).isEqualTo("T05thread:1;");
        assertThat(ask("D")).isEqualTo("OK");
        socket.close();

        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        gdb = new RspChannel(socket.getInputStream(), socket.getOutputStream());
        assertThat(ask("?")).as("held again, as by the user's interrupt").isEqualTo("T02thread:1;");
        assertThat(pc()).isEqualTo(ENTRY);

        gdb.sendPacket("k");
        run.get(60, TimeUnit.SECONDS);
    }

    /** A hart (a CPU plugin's) that cannot do what the debugger asks: an error reply, and the stub serves on. */
    @Test
    void aRequestTheHartCannotServeGetsAnErrorReply() throws Exception {
        Hart hart = mock(Hart.class);
        when(hart.register(anyInt())).thenThrow(new UnsupportedOperationException("no registers here"));
        server = GdbServer.listen(0);
        server.control().started(new VirtMachine(List.of(hart), null, null, Optional.empty(), null, List.of(),
                mock(TimeSource.class), null, null), mock(Hypervisor.class, withSettings().defaultAnswer(
                CALLS_REAL_METHODS)));
        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        gdb = new RspChannel(socket.getInputStream(), socket.getOutputStream());

        assertThat(ask("g")).isEqualTo("E00");
        assertThat(ask("")).as("an empty packet").isEmpty();
        assertThat(ask("qC")).isEqualTo("QC1");
    }

    private static byte[] instructions(int... words) {
        ByteBuffer bytes = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int word : words) {
            bytes.putInt(word);
        }
        return bytes.array();
    }

    /** Starts a raw bare-metal program at the RAM's base, in M-mode, on the given number of harts. */
    private CompletableFuture<RunResult> startProgram(Path directory, int harts, int... words) throws IOException {
        Path image = directory.resolve("program.bin");
        Files.write(image, instructions(words));
        return start(Experiment.builder().kernel(image.toString()).firmware("none").harts(harts));
    }

    private CompletableFuture<RunResult> start(Experiment.Builder builder) throws IOException {
        Experiment experiment = builder.timeout(Duration.ofSeconds(60)).build();
        server = GdbServer.listen(0);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
                new VmmBootstrap(Plugins.discover(), CostModelCatalog.presets().resolve("instructions-only"))
                        .run(experiment.spec(), new CapturingConsole(), () -> false, Optional.empty(),
                                server.control()));
        socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        gdb = new RspChannel(socket.getInputStream(), socket.getOutputStream());
        return run;
    }

    private String ask(String packet) throws IOException {
        gdb.sendPacket(packet);
        return gdb.receive();
    }

    private long pc() throws IOException {
        return Long.reverseBytes(Long.parseUnsignedLong(ask("p20"), 16));
    }
}
