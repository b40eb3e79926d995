package io.vmmlab.cpu.testing;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.cpu.rv64.Rv64Hart;

import java.nio.file.Path;

import static io.vmmlab.cpu.testing.Assembler.*;

/**
 * A hand-run throughput check (not a unit test): {@code loop} runs a tight integer loop with loads and stores
 * for about 1e9 instructions; {@code elf PATH} runs a bare-metal image (such as vmm-guests' bench.elf) with a
 * fake UART at 0x10000000 and a test finisher at 0x100000. Both print MIPS.
 */
public final class ThroughputMain {
    private ThroughputMain() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length >= 2 && arguments[0].equals("elf")) {
            runElf(Path.of(arguments[1]));
        } else {
            runLoop(arguments.length >= 2 ? Long.parseLong(arguments[1]) : 1_000_000_000L);
        }
    }

    private static void runLoop(long instructions) {
        TestBoard board = new TestBoard("rv64imac", 1 << 20);
        int iterations = (int) Math.min(Integer.MAX_VALUE, instructions / 11);
        int[] counter = li(T0, iterations);
        int[] program = {
            counter[0], counter[1], auipc(A0, 0x80), addi(A0, A0, -8),
            addi(A1, A1, 1),
            xor(A2, A2, A1),
            add(A3, A3, A2),
            System.getProperty("alu") != null ? add(A4, A3, A0) : sd(A3, A0, 0),
            System.getProperty("alu") != null ? xor(A4, A4, A3) : ld(A4, A0, 0),
            slli(A5, A4, 3),
            srli(A5, A5, 2),
            and(T1, A5, A1),
            or(T2, T2, T1),
            addi(T0, T0, -1),
            bne(T0, ZERO, -40),
            wfi(),
        };
        board.load(TestBoard.RAM_BASE, program);
        Rv64Hart hart = board.hart();
        for (int warmup = 0; warmup < 3; warmup++) {
            hart.reset(TestBoard.RAM_BASE);
            measure(hart, "warm-up");
        }
        hart.reset(TestBoard.RAM_BASE);
        measure(hart, "loop");
    }

    private static void measure(Rv64Hart hart, String label) {
        long start = System.nanoTime();
        HartExit exit;
        do {
            exit = hart.run(100_000_000L);
        } while (exit == HartExit.BUDGET_EXHAUSTED);
        long nanos = System.nanoTime() - start;
        long retired = hart.instructionsRetired();
        System.out.printf("%s: %d instructions in %.3f s = %.1f MIPS (exit %s)%n", label, retired, nanos / 1e9,
                retired * 1e3 / nanos, exit);
    }

    private static void runElf(Path path) throws Exception {
        ElfImage image = ElfImage.read(path);
        TestBoard board = new TestBoard("rv64imac", 128 << 20);
        boolean[] finished = new boolean[1];
        long[] status = new long[1];
        board.mmio().map("uart", new AddressRange(0x1000_0000L, 0x100), new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return offset == 5 ? 0x60 : 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) {
                    System.out.print((char) value);
                }
            }
        });
        board.mmio().map("finisher", new AddressRange(0x10_0000L, 0x1000), new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                finished[0] = true;
                status[0] = value;
            }
        });
        image.load(board.memory());
        Rv64Hart hart = board.hart();
        hart.reset(image.entry());
        long start = System.nanoTime();
        while (!finished[0]) {
            HartExit exit = hart.run(10_000_000L);
            board.time().set((System.nanoTime() - start) / 100);
            if (exit == HartExit.WAIT_FOR_INTERRUPT || exit == HartExit.TRAP) {
                System.out.println("stopped: " + exit + " " + hart.pendingTrap() + String.format(" pc=0x%x", hart.pc()));
                break;
            }
        }
        long nanos = System.nanoTime() - start;
        long retired = hart.instructionsRetired();
        System.out.printf("%s: finisher 0x%x, %d instructions in %.3f s = %.1f MIPS%n", path.getFileName(),
                status[0], retired, nanos / 1e9, retired * 1e3 / nanos);
    }
}
