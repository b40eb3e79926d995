package io.vmmlab.devices.plic;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.HartInterruptLines;
import io.vmmlab.api.device.InterruptController;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.RegisterAccess;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The platform-level interrupt controller (PLIC) of the virt board, per the RISC-V PLIC specification 1.0.0.
 *
 * <p>Sources 1 to {@value #MAX_SOURCE} (0 means "no interrupt"), priorities 0 to {@value #MAX_PRIORITY}. Two
 * contexts per hart: context {@code 2h} drives hart h's machine external interrupt, context {@code 2h+1} its
 * supervisor external interrupt. Register map (32-bit accesses only, as QEMU's {@code sifive_plic}): priorities
 * at {@code 0x0 + 4·source}, pending bits at {@code 0x1000}, enable bits at {@code 0x2000 + 0x80·context},
 * threshold at {@code 0x200000 + 0x1000·context} and claim/complete 4 bytes after it.
 *
 * <p>Sources are level-triggered behind a gateway (PLIC spec §"Interrupt Gateways"): while a source is claimed
 * and not yet completed it does not become pending again. Like QEMU, a source that is not claimed is pending
 * exactly while its line is asserted, so a device that lowers its line before the claim causes no spurious
 * interrupt. A completion for a source that is not enabled in that context is ignored (PLIC spec §"Interrupt
 * Completion"). All methods are synchronized: device threads may drive source lines while harts run.
 */
public final class Plic implements Device, InterruptController {
    /** The highest source number; the device tree's {@code riscv,ndev}. */
    public static final int MAX_SOURCE = 95;
    /** The highest priority; priorities are 3 bits wide, as on QEMU's virt board. */
    public static final int MAX_PRIORITY = 7;

    static final long PENDING_BASE = 0x1000;
    static final long ENABLE_BASE = 0x2000;
    static final long ENABLE_STRIDE = 0x80;
    static final long CONTEXT_BASE = 0x200000;
    static final long CONTEXT_STRIDE = 0x1000;
    private static final int WORDS = (MAX_SOURCE + 1 + 31) / 32;

    private final String name;
    private final AddressRange range;
    private final MmioAccessCounters counters;
    private final int hartCount;
    private final int contextCount;
    private final InterruptLine[] outputs;
    private final InterruptLine[] sourceLines = new InterruptLine[MAX_SOURCE + 1];
    private final int[] priority = new int[MAX_SOURCE + 1];
    private final int[] level = new int[WORDS];
    private final int[] pending = new int[WORDS];
    private final int[] claimed = new int[WORDS];
    private final int[][] enabled;
    private final int[] threshold;
    private final boolean[] outputAsserted;

    /**
     * Creates the PLIC with everything disabled and at priority 0.
     *
     * @param name the instance name
     * @param range the register window
     * @param harts the harts' interrupt inputs
     * @param counters where accesses are counted
     */
    public Plic(String name, AddressRange range, HartInterruptLines harts, MmioAccessCounters counters) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.counters = requireNonNull(counters, "counters is null");
        requireNonNull(harts, "harts is null");
        this.hartCount = harts.hartCount();
        this.contextCount = 2 * hartCount;
        this.outputs = new InterruptLine[contextCount];
        for (int hart = 0; hart < hartCount; hart++) {
            outputs[2 * hart] = harts.line(hart, HartInterrupt.MACHINE_EXTERNAL);
            outputs[2 * hart + 1] = harts.line(hart, HartInterrupt.SUPERVISOR_EXTERNAL);
        }
        this.enabled = new int[contextCount][WORDS];
        this.threshold = new int[contextCount];
        this.outputAsserted = new boolean[contextCount];
        for (int source = 1; source <= MAX_SOURCE; source++) {
            int number = source;
            sourceLines[source] = asserted -> setLevel(number, asserted);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AddressRange range() {
        return range;
    }

    @Override
    public InterruptLine source(int number) {
        if (number < 1 || number > MAX_SOURCE) {
            throw new IllegalArgumentException(
                    String.format("%s has sources 1 to %d, not %d", name, MAX_SOURCE, number));
        }
        return sourceLines[number];
    }

    /**
     * Drives one source's input level.
     *
     * @param source the source number
     * @param asserted the level
     */
    synchronized void setLevel(int source, boolean asserted) {
        set(level, source, asserted);
        if (!get(claimed, source)) {
            set(pending, source, asserted);
        }
        updateOutputs();
    }

    @Override
    public synchronized long read(long offset, int size) {
        counters.read();
        RegisterAccess.requireWidth(range, offset, size, 4);
        if (offset < PENDING_BASE) {
            int source = (int) (offset / 4);
            return source <= MAX_SOURCE ? priority[source] : 0;
        }
        if (offset < ENABLE_BASE) {
            int word = (int) ((offset - PENDING_BASE) / 4);
            return word < WORDS ? pending[word] & 0xffff_ffffL : 0;
        }
        if (offset < CONTEXT_BASE) {
            int context = (int) ((offset - ENABLE_BASE) / ENABLE_STRIDE);
            int word = (int) ((offset - ENABLE_BASE) % ENABLE_STRIDE / 4);
            return context < contextCount && word < WORDS ? enabled[context][word] & 0xffff_ffffL : 0;
        }
        int context = (int) ((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
        long register = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
        if (context >= contextCount) {
            return 0;
        }
        if (register == 0) {
            return threshold[context];
        }
        return register == 4 ? claim(context) : 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        counters.write();
        RegisterAccess.requireWidth(range, offset, size, 4);
        int word32 = (int) value;
        if (offset < PENDING_BASE) {
            int source = (int) (offset / 4);
            if (source >= 1 && source <= MAX_SOURCE) {
                priority[source] = word32 & MAX_PRIORITY;
            }
        } else if (offset < ENABLE_BASE) {
            return; // Pending bits are read-only.
        } else if (offset < CONTEXT_BASE) {
            int context = (int) ((offset - ENABLE_BASE) / ENABLE_STRIDE);
            int word = (int) ((offset - ENABLE_BASE) % ENABLE_STRIDE / 4);
            if (context < contextCount && word < WORDS) {
                // Source 0 does not exist, so its enable bit is hardwired to zero.
                enabled[context][word] = word == 0 ? word32 & ~1 : word32;
            }
        } else {
            int context = (int) ((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
            long register = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
            if (context >= contextCount) {
                return;
            }
            if (register == 0) {
                threshold[context] = word32 & MAX_PRIORITY;
            } else if (register == 4) {
                complete(context, word32);
            }
        }
        updateOutputs();
    }

    @Override
    public synchronized void reset() {
        Arrays.fill(priority, 0);
        Arrays.fill(claimed, 0);
        Arrays.fill(threshold, 0);
        for (int[] words : enabled) {
            Arrays.fill(words, 0);
        }
        System.arraycopy(level, 0, pending, 0, WORDS);
        updateOutputs();
    }

    @Override
    public void describe(DeviceTreeWriter tree) {
        tree.beginNode(DeviceTreeNodes.nodeName("plic", range));
        tree.propertyCells("phandle", tree.interruptControllerPhandle());
        tree.propertyCells("riscv,ndev", MAX_SOURCE);
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        int[] interrupts = new int[hartCount * 4];
        for (int hart = 0; hart < hartCount; hart++) {
            int phandle = tree.hartInterruptControllerPhandle(hart);
            interrupts[hart * 4] = phandle;
            interrupts[hart * 4 + 1] = HartInterrupt.MACHINE_EXTERNAL.bit();
            interrupts[hart * 4 + 2] = phandle;
            interrupts[hart * 4 + 3] = HartInterrupt.SUPERVISOR_EXTERNAL.bit();
        }
        tree.propertyCells("interrupts-extended", interrupts);
        tree.propertyEmpty("interrupt-controller");
        tree.propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        tree.propertyCells("#address-cells", 0);
        tree.propertyCells("#interrupt-cells", 1);
        tree.endNode();
    }

    /** PLIC spec §"Interrupt Claim Process": the highest-priority pending enabled source, ties to the lowest id. */
    private int claim(int context) {
        int best = 0;
        int bestPriority = threshold[context];
        for (int source = 1; source <= MAX_SOURCE; source++) {
            if (get(pending, source) && get(enabled[context], source) && priority[source] > bestPriority) {
                best = source;
                bestPriority = priority[source];
            }
        }
        if (best != 0) {
            set(pending, best, false);
            set(claimed, best, true);
            updateOutputs();
        }
        return best;
    }

    private void complete(int context, int source) {
        if (source < 1 || source > MAX_SOURCE || !get(enabled[context], source) || !get(claimed, source)) {
            return;
        }
        set(claimed, source, false);
        set(pending, source, get(level, source));
    }

    private void updateOutputs() {
        for (int context = 0; context < contextCount; context++) {
            boolean asserted = hasDeliverable(context);
            if (asserted != outputAsserted[context]) {
                outputAsserted[context] = asserted;
                outputs[context].set(asserted);
            }
        }
    }

    private boolean hasDeliverable(int context) {
        for (int word = 0; word < WORDS; word++) {
            int candidates = pending[word] & enabled[context][word];
            while (candidates != 0) {
                int bit = Integer.numberOfTrailingZeros(candidates);
                if (priority[word * 32 + bit] > threshold[context]) {
                    return true;
                }
                candidates &= candidates - 1;
            }
        }
        return false;
    }

    private static boolean get(int[] bits, int index) {
        return (bits[index >>> 5] & (1 << (index & 31))) != 0;
    }

    private static void set(int[] bits, int index, boolean value) {
        if (value) {
            bits[index >>> 5] |= 1 << (index & 31);
        } else {
            bits[index >>> 5] &= ~(1 << (index & 31));
        }
    }
}
