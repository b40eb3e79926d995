package io.vmmlab.devices.finisher;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceTreeWriter;
import io.vmmlab.api.device.MachineControl;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.devices.DeviceTreeNodes;
import io.vmmlab.devices.MmioAccessCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The SiFive test finisher (QEMU's {@code hw/misc/sifive_test.c}): the guest powers the machine off or resets it
 * by writing to offset 0. Bits 15:0 select the request ({@code 0x5555} pass, {@code 0x3333} fail, {@code 0x7777}
 * reset), bits 31:16 carry the failure code. Other values and other offsets are ignored; reads return zero.
 *
 * <p>A request goes to the board's {@link MachineControl}; the last one is also available from {@link #event()}.
 * Linux finds the device through the {@code syscon-poweroff} and {@code syscon-reboot} nodes that
 * {@link #describe(DeviceTreeWriter)} writes.
 */
public final class SifiveTestFinisher implements Device {
    private static final Logger log = LoggerFactory.getLogger(SifiveTestFinisher.class);

    static final int FINISHER_FAIL = 0x3333;
    static final int FINISHER_PASS = 0x5555;
    static final int FINISHER_RESET = 0x7777;

    private final String name;
    private final AddressRange range;
    private final MmioAccessCounters counters;
    private final MachineControl control;
    private FinisherEvent event;

    /**
     * Creates the finisher with no request recorded.
     *
     * @param name the instance name
     * @param range the register window
     * @param counters where accesses are counted
     * @param control where power-off and reset requests go
     */
    public SifiveTestFinisher(String name, AddressRange range, MmioAccessCounters counters, MachineControl control) {
        this.name = requireNonNull(name, "name is null");
        this.range = requireNonNull(range, "range is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.control = requireNonNull(control, "control is null");
    }

    /**
     * Returns the guest's last request, if it made one.
     *
     * @return the request
     */
    public synchronized Optional<FinisherEvent> event() {
        return Optional.ofNullable(event);
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
        return 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        counters.write();
        if (offset != 0) {
            return;
        }
        int status = (int) value & 0xffff;
        int code = (int) (value >>> 16) & 0xffff;
        FinisherEvent request = switch (status) {
            case FINISHER_PASS -> new FinisherEvent(FinisherEvent.Kind.PASS, 0);
            case FINISHER_FAIL -> new FinisherEvent(FinisherEvent.Kind.FAIL, code);
            case FINISHER_RESET -> new FinisherEvent(FinisherEvent.Kind.RESET, 0);
            default -> null;
        };
        if (request != null) {
            event = request;
            log.info("{}: guest requested {} (code {})", name, request.kind(), request.code());
            switch (request.kind()) {
                case PASS -> control.powerOff(0);
                case FAIL -> control.powerOff(code == 0 ? 1 : code);
                case RESET -> control.reset();
            }
        }
    }

    @Override
    public synchronized void reset() {
        event = null;
    }

    /** Writes the test node and, as QEMU does, {@code poweroff} and {@code reboot} syscon nodes that use it. */
    @Override
    public void describe(DeviceTreeWriter tree) {
        int phandle = tree.allocatePhandle();
        tree.beginNode(DeviceTreeNodes.nodeName("test", range));
        tree.propertyCells("phandle", phandle);
        tree.propertyCells("reg", DeviceTreeNodes.reg(range));
        tree.propertyStrings("compatible", "sifive,test1", "sifive,test0", "syscon");
        tree.endNode();
        describeSyscon(tree, "poweroff", "syscon-poweroff", phandle, FINISHER_PASS);
        describeSyscon(tree, "reboot", "syscon-reboot", phandle, FINISHER_RESET);
    }

    private static void describeSyscon(DeviceTreeWriter tree, String node, String compatible, int regmap,
                                       int value) {
        tree.beginNode(node);
        tree.propertyCells("value", value);
        tree.propertyCells("offset", 0);
        tree.propertyCells("regmap", regmap);
        tree.propertyStrings("compatible", compatible);
        tree.endNode();
    }
}
