package io.vmmlab.devices.uart;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;

import java.util.ArrayDeque;

import static java.util.Objects.requireNonNull;

/**
 * An NS16550A UART with byte-wide registers ({@code reg-shift = 0}), modelled on QEMU's {@code hw/char/serial.c}.
 *
 * <p>Transmission is immediate: every byte written to THR goes to the {@link HostConsole}, so LSR always shows
 * THRE and TEMT. Received bytes come from the host console in {@link #poll(long)} into a
 * {@value #RX_FIFO_SIZE}-byte FIFO. Interrupts: received data available (IER bit 0) and transmitter holding
 * register empty (IER bit 1). As on QEMU (and as Linux's 8250 driver expects), the THRE interrupt becomes
 * pending when IER.THRI is set while THR is empty and after every THR write, and is cleared by a THR write or
 * by reading IIR while it is the highest-priority interrupt. Line status and modem status interrupts never
 * occur. MCR loopback (bit 4) loops transmitted bytes back into the receive FIFO and the modem control outputs
 * into MSR. The divisor latch is stored but has no effect.
 */
public final class Ns16550aUart implements Device {
    /** The 16550A receive FIFO depth. */
    public static final int RX_FIFO_SIZE = 16;
    /** The input clock advertised in the device tree, as on QEMU's virt board. */
    public static final int CLOCK_FREQUENCY = 3_686_400;

    static final int IER_RDI = 0x01;
    static final int IER_THRI = 0x02;
    static final int IIR_NO_INTERRUPT = 0x01;
    static final int IIR_THRI = 0x02;
    static final int IIR_RDI = 0x04;
    static final int IIR_FIFO_ENABLED = 0xc0;
    static final int FCR_FIFO_ENABLE = 0x01;
    static final int FCR_CLEAR_RX = 0x02;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10;
    static final int LSR_DR = 0x01;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    private static final int MSR_CTS = 0x10;
    private static final int MSR_DSR = 0x20;
    private static final int MSR_RI = 0x40;
    private static final int MSR_DCD = 0x80;

    private final String name;
    private final AddressRange range;
    private final int interruptNumber;
    private final InterruptLine interrupt;
    private final HostConsole console;
    private final MmioAccessCounters counters;
    private final ArrayDeque<Integer> receiveFifo = new ArrayDeque<>(RX_FIFO_SIZE);
    private int ier;
    private int fcr;
    private int lcr;
    private int mcr;
    private int scr;
    private int divisorLow;
    private int divisorHigh;
    private boolean thrInterruptPending;
    private boolean interruptAsserted;

    /**
     * Creates the UART in its reset state.
     *
     * @param name the instance name
     * @param range the register window
     * @param interruptNumber the PLIC source number, for the device tree
     * @param interrupt the line to the PLIC
     * @param console where output goes and input comes from
     * @param counters where accesses are counted
     */
    public Ns16550aUart(String name, AddressRange range, int interruptNumber, InterruptLine interrupt,
                        HostConsole console, MmioAccessCounters counters) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.interruptNumber = interruptNumber;
        this.interrupt = requireNonNull(interrupt, "interrupt is null");
        this.console = requireNonNull(console, "console is null");
        this.counters = requireNonNull(counters, "counters is null");
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
        boolean dlab = (lcr & LCR_DLAB) != 0;
        return switch ((int) (offset & 7)) {
            case 0 -> dlab ? divisorLow : readReceiveBuffer();
            case 1 -> dlab ? divisorHigh : ier;
            case 2 -> readInterruptIdentification();
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> lineStatus();
            case 6 -> modemStatus();
            default -> scr;
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        counters.write();
        int data = (int) value & 0xff;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch ((int) (offset & 7)) {
            case 0 -> {
                if (dlab) {
                    divisorLow = data;
                } else {
                    transmit(data);
                }
            }
            case 1 -> {
                if (dlab) {
                    divisorHigh = data;
                } else {
                    writeInterruptEnable(data);
                }
            }
            case 2 -> writeFifoControl(data);
            case 3 -> lcr = data;
            case 4 -> mcr = data & 0x1f;
            case 5, 6 -> {
                // LSR and MSR are read-only here; QEMU ignores these writes too.
            }
            default -> scr = data;
        }
        updateInterrupt();
    }

    /** Moves waiting host input into the receive FIFO. */
    @Override
    public synchronized long poll(long now) {
        if ((mcr & MCR_LOOP) == 0) {
            while (receiveFifo.size() < RX_FIFO_SIZE) {
                int input = console.read();
                if (input < 0) {
                    break;
                }
                receiveFifo.add(input & 0xff);
            }
            updateInterrupt();
        }
        return Long.MAX_VALUE;
    }

    @Override
    public synchronized void reset() {
        receiveFifo.clear();
        ier = 0;
        fcr = 0;
        lcr = 0;
        mcr = 0;
        scr = 0;
        divisorLow = 0;
        divisorHigh = 0;
        thrInterruptPending = false;
        updateInterrupt();
    }

    @Override
    public void describe(DeviceTreeWriter tree) {
        tree.beginNode(DeviceTreeNodes.nodeName("serial", range));
        DeviceTreeNodes.interrupt(tree, interruptNumber);
        tree.propertyCells("clock-frequency", CLOCK_FREQUENCY);
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        tree.propertyStrings("compatible", "ns16550a");
        tree.endNode();
    }

    private int readReceiveBuffer() {
        Integer value = receiveFifo.poll();
        updateInterrupt();
        return value == null ? 0 : value;
    }

    private void transmit(int data) {
        if ((mcr & MCR_LOOP) != 0) {
            if (receiveFifo.size() < RX_FIFO_SIZE) {
                receiveFifo.add(data);
            }
        } else {
            console.write(data);
        }
        // The byte left THR at once, so THR is empty again: THRE re-arms after every write, as on QEMU.
        thrInterruptPending = (ier & IER_THRI) != 0;
    }

    private void writeInterruptEnable(int data) {
        int changed = (ier ^ data) & 0x0f;
        ier = data & 0x0f;
        if ((changed & IER_THRI) != 0) {
            thrInterruptPending = (ier & IER_THRI) != 0;
        }
    }

    private void writeFifoControl(int data) {
        if ((data & FCR_CLEAR_RX) != 0) {
            receiveFifo.clear();
        }
        fcr = data & 0xc9;
    }

    private int readInterruptIdentification() {
        int identification = pendingInterrupt();
        if (identification == IIR_THRI) {
            // 16550 datasheet: reading IIR while THRE is the source clears that interrupt.
            thrInterruptPending = false;
            updateInterrupt();
        }
        return identification | ((fcr & FCR_FIFO_ENABLE) != 0 ? IIR_FIFO_ENABLED : 0);
    }

    /** Returns IIR bits 3:0 for the highest-priority pending interrupt (16550 datasheet, table 4). */
    private int pendingInterrupt() {
        if ((ier & IER_RDI) != 0 && !receiveFifo.isEmpty()) {
            return IIR_RDI;
        }
        if ((ier & IER_THRI) != 0 && thrInterruptPending) {
            return IIR_THRI;
        }
        return IIR_NO_INTERRUPT;
    }

    private int lineStatus() {
        return LSR_THRE | LSR_TEMT | (receiveFifo.isEmpty() ? 0 : LSR_DR);
    }

    private int modemStatus() {
        if ((mcr & MCR_LOOP) == 0) {
            return MSR_DCD | MSR_DSR | MSR_CTS;
        }
        // Loopback: DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD (16550 datasheet, MCR bit 4).
        return ((mcr & 0x01) != 0 ? MSR_DSR : 0) | ((mcr & 0x02) != 0 ? MSR_CTS : 0)
                | ((mcr & 0x04) != 0 ? MSR_RI : 0) | ((mcr & 0x08) != 0 ? MSR_DCD : 0);
    }

    private void updateInterrupt() {
        boolean asserted = pendingInterrupt() != IIR_NO_INTERRUPT;
        if (asserted != interruptAsserted) {
            interruptAsserted = asserted;
            interrupt.set(asserted);
        }
    }
}
