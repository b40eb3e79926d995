package io.vmmlab.devices.clint;

import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.HartInterruptLines;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.RegisterAccess;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The core-local interruptor (SiFive CLINT) of the virt board: each hart's software interrupt ({@code msip}) and
 * timer compare ({@code mtimecmp}) registers, and the shared {@code mtime} counter.
 *
 * <p>Layout, as in QEMU's {@code hw/intc/riscv_aclint.c}: {@code msip} at {@code 0x0 + 4·hart} (bit 0, 32-bit
 * accesses), {@code mtimecmp} at {@code 0x4000 + 8·hart} and {@code mtime} at {@code 0xbff8} (32- or 64-bit
 * accesses). The machine timer interrupt of a hart is pending while {@code mtime >= mtimecmp} (unsigned,
 * Privileged spec §3.2.1), re-evaluated on every {@code mtimecmp} write and on every {@link #poll(long)}.
 *
 * <p>{@code mtime} is the platform {@link TimeSource}, which also backs the harts' {@code time} CSR, so this
 * device cannot move it: writes to {@code mtime} are ignored. Unknown offsets read as zero and ignore writes.
 */
public final class Clint implements Device {
    static final long MSIP_BASE = ClintRegisters.MSIP_OFFSET;
    static final long MTIMECMP_BASE = ClintRegisters.MTIMECMP_OFFSET;
    static final long MTIME = ClintRegisters.MTIME_OFFSET;

    private final String name;
    private final AddressRange range;
    private final TimeSource time;
    private final MmioAccessCounters counters;
    private final int hartCount;
    private final InterruptLine[] softwareLines;
    private final InterruptLine[] timerLines;
    private final boolean[] msip;
    private final long[] mtimecmp;
    private final boolean[] timerAsserted;

    /**
     * Creates the CLINT with every {@code msip} clear and every {@code mtimecmp} at all ones.
     *
     * @param name the instance name
     * @param range the register window
     * @param time the platform time
     * @param harts the harts' interrupt inputs
     * @param counters where accesses are counted
     */
    public Clint(String name, AddressRange range, TimeSource time, HartInterruptLines harts,
                 MmioAccessCounters counters) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.time = requireNonNull(time, "time is null");
        this.counters = requireNonNull(counters, "counters is null");
        requireNonNull(harts, "harts is null");
        this.hartCount = harts.hartCount();
        this.softwareLines = new InterruptLine[hartCount];
        this.timerLines = new InterruptLine[hartCount];
        for (int hart = 0; hart < hartCount; hart++) {
            softwareLines[hart] = harts.line(hart, HartInterrupt.MACHINE_SOFTWARE);
            timerLines[hart] = harts.line(hart, HartInterrupt.MACHINE_TIMER);
        }
        this.msip = new boolean[hartCount];
        this.mtimecmp = new long[hartCount];
        this.timerAsserted = new boolean[hartCount];
        Arrays.fill(mtimecmp, -1L);
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
    public synchronized long read(long offset, int size) {
        counters.read();
        if (isMsip(offset)) {
            RegisterAccess.requireWidth(range, offset, size, 4);
            return msip[(int) ((offset - MSIP_BASE) / 4)] ? 1 : 0;
        }
        RegisterAccess.requireWidth(range, offset, size, 4, 8);
        if (isMtimecmp(offset)) {
            long relative = offset - MTIMECMP_BASE;
            return RegisterAccess.readPart(mtimecmp[(int) (relative / 8)], relative % 8, size);
        }
        if (offset == MTIME || offset == MTIME + 4) {
            return RegisterAccess.readPart(time.now(), offset - MTIME, size);
        }
        return 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        counters.write();
        apply(offset, size, value);
    }

    /** A VMM's write for its guest (the virtual timer's deadline): not counted as a guest access. */
    @Override
    public synchronized void hostWrite(long offset, int size, long value) {
        apply(offset, size, value);
    }

    private void apply(long offset, int size, long value) {
        if (isMsip(offset)) {
            RegisterAccess.requireWidth(range, offset, size, 4);
            int hart = (int) ((offset - MSIP_BASE) / 4);
            msip[hart] = (value & 1) != 0;
            softwareLines[hart].set(msip[hart]);
            return;
        }
        RegisterAccess.requireWidth(range, offset, size, 4, 8);
        if (isMtimecmp(offset)) {
            long relative = offset - MTIMECMP_BASE;
            int hart = (int) (relative / 8);
            mtimecmp[hart] = RegisterAccess.writePart(mtimecmp[hart], relative % 8, size, value);
            updateTimer(hart, time.now());
        }
    }

    /**
     * Re-evaluates every hart's timer interrupt.
     *
     * @param now the current {@code mtime}
     * @return the earliest {@code mtimecmp} still in the future, or {@link Long#MAX_VALUE} when none is
     */
    @Override
    public synchronized long poll(long now) {
        long next = Long.MAX_VALUE;
        for (int hart = 0; hart < hartCount; hart++) {
            updateTimer(hart, now);
            long compare = mtimecmp[hart];
            // A compare value at or above 2^63 (such as the reset value) is not a deadline a signed long can name.
            if (compare >= 0 && Long.compareUnsigned(compare, now) > 0 && compare < next) {
                next = compare;
            }
        }
        return next;
    }

    @Override
    public synchronized void reset() {
        Arrays.fill(mtimecmp, -1L);
        for (int hart = 0; hart < hartCount; hart++) {
            msip[hart] = false;
            softwareLines[hart].lower();
            timerAsserted[hart] = false;
            timerLines[hart].lower();
        }
    }

    @Override
    public void describe(DeviceTreeWriter tree) {
        tree.beginNode(DeviceTreeNodes.nodeName("clint", range));
        tree.propertyStrings("compatible", "sifive,clint0", "riscv,clint0");
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        int[] interrupts = new int[hartCount * 4];
        for (int hart = 0; hart < hartCount; hart++) {
            int phandle = tree.hartInterruptControllerPhandle(hart);
            interrupts[hart * 4] = phandle;
            interrupts[hart * 4 + 1] = HartInterrupt.MACHINE_SOFTWARE.bit();
            interrupts[hart * 4 + 2] = phandle;
            interrupts[hart * 4 + 3] = HartInterrupt.MACHINE_TIMER.bit();
        }
        tree.propertyCells("interrupts-extended", interrupts);
        tree.endNode();
    }

    private boolean isMsip(long offset) {
        return offset >= MSIP_BASE && offset < MSIP_BASE + 4L * hartCount;
    }

    private boolean isMtimecmp(long offset) {
        return offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8L * hartCount;
    }

    private void updateTimer(int hart, long now) {
        boolean pending = Long.compareUnsigned(now, mtimecmp[hart]) >= 0;
        if (pending != timerAsserted[hart]) {
            timerAsserted[hart] = pending;
            timerLines[hart].set(pending);
        }
    }
}
