package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.device.HostConsole;
import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.hypervisor.Machine;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;

import java.util.Map;
import java.util.Objects;

/**
 * Console output and device-register access. A PV guest maps no device memory; each register access of its
 * drivers is one {@link Hypercall#MMIO_READ} or {@link Hypercall#MMIO_WRITE}, which the VMM forwards to the
 * device after checking the window ({@link GuestDeviceWindows}: any device of the board except the CLINT, whose
 * timer registers the VMM itself programs).
 */
public final class IoHypercalls implements HypercallGroup {
    private static final long MAX_CONSOLE_WRITE = 4096;

    private final HostConsole console;
    private final GuestMemory memory;
    private final GuestPointers pointers;
    private final MmioBus mmio;
    private final GuestDeviceWindows deviceWindows;

    /**
     * Creates the group.
     *
     * @param machine the board
     * @param console the guest console
     * @param pointers the pointer checker
     */
    public IoHypercalls(Machine machine, HostConsole console, GuestPointers pointers) {
        this.console = Objects.requireNonNull(console, "console is null");
        this.memory = machine.memory();
        this.pointers = Objects.requireNonNull(pointers, "pointers is null");
        this.mmio = machine.mmio();
        this.deviceWindows = GuestDeviceWindows.of(machine);
    }

    @Override
    public Map<Hypercall, HypercallHandler> handlers() {
        return Map.of(
                Hypercall.CONSOLE_PUTC, (hart, arguments) -> putc(arguments.a0()),
                Hypercall.CONSOLE_WRITE, (hart, arguments) -> write(arguments.a0(), arguments.a1()),
                Hypercall.MMIO_READ, (hart, arguments) -> mmioRead(arguments.a0(), arguments.a1()),
                Hypercall.MMIO_WRITE, (hart, arguments) -> mmioWrite(arguments.a0(), arguments.a1(), arguments.a2()));
    }

    private HypercallOutcome putc(long value) {
        console.write((int) (value & 0xff));
        return HypercallOutcome.ok(0);
    }

    private HypercallOutcome write(long buffer, long length) {
        if (length < 0 || length > MAX_CONSOLE_WRITE) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        if (!pointers.isValid(buffer, length, 1)) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
        for (long offset = 0; offset < length; offset++) {
            console.write(memory.read8(buffer + offset));
        }
        return HypercallOutcome.ok(length);
    }

    private long checkRegister(long address, long size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return PvError.EINVAL;
        }
        if ((address & (size - 1)) != 0) {
            return PvError.EINVAL;
        }
        return deviceWindows.allows(address, size) ? PvError.OK : PvError.EPERM;
    }

    private HypercallOutcome mmioRead(long address, long size) {
        long error = checkRegister(address, size);
        if (error != PvError.OK) {
            return HypercallOutcome.error(error);
        }
        try {
            return HypercallOutcome.ok(mmio.read(address, (int) size));
        } catch (MemoryAccessException e) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
    }

    private HypercallOutcome mmioWrite(long address, long size, long value) {
        long error = checkRegister(address, size);
        if (error != PvError.OK) {
            return HypercallOutcome.error(error);
        }
        try {
            mmio.write(address, (int) size, value);
            return HypercallOutcome.ok(0);
        } catch (MemoryAccessException e) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
    }
}
