package io.vmmlab.devices.rtc;

import static java.util.Objects.requireNonNull;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.InterruptLine;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.RegisterAccess;

/**
 * The Goldfish real-time clock of QEMU's {@code virt} board ({@code google,goldfish-rtc}): the wall-clock time in
 * nanoseconds since the Unix epoch, read as two 32-bit halves (reading the low half latches the high half), settable
 * by the guest, and one alarm that raises the device's interrupt when the clock reaches it. 32-bit accesses only.
 */
public final class GoldfishRtc implements Device {
    static final int TIME_LOW = 0x00;
    static final int TIME_HIGH = 0x04;
    static final int ALARM_LOW = 0x08;
    static final int ALARM_HIGH = 0x0c;
    static final int IRQ_ENABLED = 0x10;
    static final int CLEAR_ALARM = 0x14;
    static final int ALARM_STATUS = 0x18;
    static final int CLEAR_INTERRUPT = 0x1c;

    private final String name;
    private final AddressRange range;
    private final int interruptNumber;
    private final InterruptLine interrupt;
    private final RtcClock clock;
    private final MmioAccessCounters counters;
    private long latchedHigh;
    private long alarm;
    private boolean alarmArmed;
    private boolean interruptEnabled;
    private boolean interruptPending;

    /**
     * Creates the clock with no alarm armed and its interrupt disabled.
     *
     * @param name the instance name
     * @param range the register window
     * @param interruptNumber the source number at the interrupt controller, for the device tree
     * @param interrupt the line the alarm raises
     * @param clock the wall clock shown
     * @param counters where the guest's accesses are counted
     */
    GoldfishRtc(String name, AddressRange range, int interruptNumber, InterruptLine interrupt, RtcClock clock,
                MmioAccessCounters counters) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.interruptNumber = interruptNumber;
        this.interrupt = requireNonNull(interrupt, "interrupt is null");
        this.clock = requireNonNull(clock, "clock is null");
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
        RegisterAccess.requireWidth(range, offset, size, 4);
        counters.read();
        return switch ((int) offset) {
            case TIME_LOW -> {
                long now = clock.nanos();
                latchedHigh = now >>> 32;
                yield now & 0xffff_ffffL;
            }
            case TIME_HIGH -> latchedHigh;
            case ALARM_LOW -> alarm & 0xffff_ffffL;
            case ALARM_HIGH -> alarm >>> 32;
            case IRQ_ENABLED -> interruptEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmArmed ? 1 : 0;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        RegisterAccess.requireWidth(range, offset, size, 4);
        counters.write();
        switch ((int) offset) {
            case TIME_LOW -> clock.set(withLow(clock.nanos(), value));
            case TIME_HIGH -> clock.set(withHigh(clock.nanos(), value));
            case ALARM_LOW -> {
                alarm = withLow(alarm, value);
                alarmArmed = true;
                fireIfDue();
            }
            case ALARM_HIGH -> alarm = withHigh(alarm, value);
            case IRQ_ENABLED -> {
                interruptEnabled = (value & 1) != 0;
                updateLine();
            }
            case CLEAR_ALARM -> alarmArmed = false;
            case CLEAR_INTERRUPT -> {
                interruptPending = false;
                updateLine();
            }
            default -> {
                // no register: writes are ignored and reads give 0 (QEMU maps only 0x24 bytes, faulting beyond)
            }
        }
    }

    /** Fires an alarm the clock has reached; otherwise returns the platform tick at which it will. */
    @Override
    public synchronized long poll(long now) {
        fireIfDue();
        return alarmArmed ? clock.tickAt(alarm) : Long.MAX_VALUE;
    }

    /** Disarms the alarm and clears the interrupt; the time goes on, as a battery-backed clock's does. */
    @Override
    public synchronized void reset() {
        alarm = 0;
        alarmArmed = false;
        interruptEnabled = false;
        interruptPending = false;
        latchedHigh = 0;
        updateLine();
    }

    @Override
    public void describe(DeviceTreeWriter tree) {
        tree.beginNode(DeviceTreeNodes.nodeName("rtc", range));
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        tree.propertyStrings("compatible", "google,goldfish-rtc");
        DeviceTreeNodes.interrupt(tree, interruptNumber);
        tree.endNode();
    }

    private void fireIfDue() {
        if (alarmArmed && Long.compareUnsigned(clock.nanos(), alarm) >= 0) {
            alarmArmed = false;
            interruptPending = true;
            updateLine();
        }
    }

    private void updateLine() {
        interrupt.set(interruptEnabled && interruptPending);
    }

    private static long withLow(long register, long low) {
        return register & 0xffff_ffff_0000_0000L | low & 0xffff_ffffL;
    }

    private static long withHigh(long register, long high) {
        return register & 0xffff_ffffL | high << 32;
    }
}
