package io.vmmlab.hwassist.exit;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.ClintRegisters;
import io.vmmlab.api.device.GuestDeviceWindows;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import io.vmmlab.cpu.InterpreterCpuProvider;
import io.vmmlab.cpu.csr.CsrAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Device emulation when htinst is 0: the instruction is read through the guest's VS-stage tables and decoded. */
final class GuestPageFaultHandlerTest {
    private static final long RAM = 0x8000_0000L;
    private static final long DEVICE = 0x1000_0000L;
    private static final long CODE = RAM + 0x1000;
    private static final long ROOT = RAM + 0x10000;
    private static final int S0 = 8;
    private static final int T0 = 5;
    /** sw t0, 4(s0). */
    private static final int STORE = 0x0054_2223;

    private final FlatRam memory = new FlatRam(RAM, 1 << 20);
    private final SimpleMmioBus bus = new SimpleMmioBus();
    private final SimpleCounters counters = new SimpleCounters();
    private final RecordingMmioDevice device = new RecordingMmioDevice(0);
    private final RecordingMmioDevice clint = new RecordingMmioDevice(0);
    private Hart hart;
    private GuestPageFaultHandler handler;

    private final TimeSource time = new TimeSource() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public long frequencyHz() {
            return 10_000_000;
        }
    };

    @BeforeEach
    void setUp() {
        hart = new InterpreterCpuProvider().create(new HartConfig(0, IsaSpec.parse("rv64imach"), RAM, Set.of()),
                new HartResources(memory, bus, time, counters));
        bus.map("dev", new AddressRange(DEVICE, 0x100), device);
        bus.map("clint", new AddressRange(ClintRegisters.BASE, ClintRegisters.SIZE), clint);
        handler = new GuestPageFaultHandler(bus, new GuestDeviceWindows(bus, List.of(memory.range())),
                new GuestInstructionReader(memory), new ExitCounters(counters));
        hart.writeCsr(CsrAddress.MEDELEG, -1L);
        hart.writeCsr(CsrAddress.HEDELEG, -1L);
        hart.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        hart.setRegister(S0, DEVICE);
        hart.setRegister(T0, 0x77);
    }

    private PendingTrap storeFault(long pc) {
        return new PendingTrap(TrapCause.STORE_GUEST_PAGE_FAULT, DEVICE + 4, (DEVICE + 4) >>> 2, 0, pc,
                PrivilegeMode.SUPERVISOR, true);
    }

    @Test
    void withoutHtinstTheStoreIsReadFromGuestMemoryWithTranslationOff() {
        memory.write32(CODE, STORE);
        hart.setPc(CODE);
        handler.handle(hart, storeFault(CODE));
        assertThat(device.writes()).containsExactly(new RecordingMmioDevice.Access(4, 4, 0x77));
        assertThat(hart.pc()).isEqualTo(CODE + 4);
        assertThat(counters.snapshot().get("guest-page-fault", "instruction-read")).isEqualTo(1);
    }

    @Test
    void withoutHtinstTheStoreIsReadThroughTheGuestsPageTables() {
        // VA 0x4000_0000 gigapage -> 0x8000_0000, executable.
        memory.write64(ROOT + 8, Pte.entry(RAM, Pte.D | Pte.A | Pte.X | Pte.R | Pte.V));
        memory.write32(CODE, STORE);
        hart.writeCsr(CsrAddress.VSATP, 8L << 60 | ROOT >>> 12);
        long pc = 0x4000_0000L + (CODE - RAM);
        hart.setPc(pc);
        handler.handle(hart, storeFault(pc));
        assertThat(device.writes()).containsExactly(new RecordingMmioDevice.Access(4, 4, 0x77));
        assertThat(hart.pc()).isEqualTo(pc + 4);
    }

    @Test
    void anUnreadableInstructionGivesTheGuestAnAccessFault() {
        memory.write64(ROOT + 8, Pte.entry(RAM, Pte.D | Pte.A | Pte.W | Pte.R | Pte.V));  // readable, not executable
        memory.write32(CODE, STORE);
        hart.writeCsr(CsrAddress.VSATP, 8L << 60 | ROOT >>> 12);
        hart.writeCsr(CsrAddress.VSTVEC, RAM + 0x800);
        long pc = 0x4000_0000L + (CODE - RAM);
        hart.setPc(pc);
        handler.handle(hart, storeFault(pc));
        assertThat(device.writes()).isEmpty();
        assertThat(hart.readCsr(CsrAddress.VSCAUSE)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(hart.pc()).isEqualTo(RAM + 0x800);
    }

    @Test
    void aStoreToTheClintIsAnAccessFaultAndNeverReachesIt() {
        long mtimecmp = ClintRegisters.mtimecmp(0);
        hart.setRegister(S0, mtimecmp - 4);
        memory.write32(CODE, STORE);
        hart.writeCsr(CsrAddress.VSTVEC, RAM + 0x800);
        hart.setPc(CODE);
        handler.handle(hart, new PendingTrap(TrapCause.STORE_GUEST_PAGE_FAULT, mtimecmp, mtimecmp >>> 2, 0, CODE,
                PrivilegeMode.SUPERVISOR, true));
        assertThat(clint.writes()).isEmpty();
        assertThat(hart.readCsr(CsrAddress.VSCAUSE)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.VSTVAL)).isEqualTo(mtimecmp);
        assertThat(counters.snapshot().get("guest-page-fault", "access-fault")).isEqualTo(1);
    }

    /** FLW (NaN-boxed, FS Dirty in vsstatus and mstatus) and FSD to a device, from htinst, on a hart with F and D. */
    @Test
    void floatingPointLoadsAndStoresToADeviceAreEmulated() {
        long fpDevice = DEVICE + 0x100;
        RecordingMmioDevice values = new RecordingMmioDevice(0x1122_3344_4049_0fdbL);
        bus.map("fp", new AddressRange(fpDevice, 0x100), values);
        handler = new GuestPageFaultHandler(bus, new GuestDeviceWindows(bus, List.of(memory.range())),
                new GuestInstructionReader(memory), new ExitCounters(counters));
        Hart fp = new InterpreterCpuProvider().create(new HartConfig(0, IsaSpec.parse("rv64imafdch"), RAM, Set.of()),
                new HartResources(memory, bus, time, counters));
        fp.writeCsr(CsrAddress.MSTATUS, CsrAddress.STATUS_FS_INITIAL);
        fp.writeCsr(CsrAddress.VSSTATUS, CsrAddress.STATUS_FS_INITIAL);
        fp.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        fp.setPc(CODE);

        // flw f10, 8(x0) as transformed
        handler.handle(fp, new PendingTrap(TrapCause.LOAD_GUEST_PAGE_FAULT, fpDevice + 8, (fpDevice + 8) >>> 2,
                0x0000_2507L, CODE, PrivilegeMode.SUPERVISOR, true));
        assertThat(fp.floatRegister(10)).isEqualTo(0xffff_ffff_4049_0fdbL);
        assertThat(fp.pc()).isEqualTo(CODE + 4);
        assertThat(fp.readCsr(CsrAddress.VSSTATUS) & (3L << 13)).as("vsstatus.FS").isEqualTo(3L << 13);
        assertThat(fp.readCsr(CsrAddress.MSTATUS) & (3L << 13)).as("mstatus.FS").isEqualTo(3L << 13);

        // fsd f13, 16(x0)
        fp.setFloatRegister(13, 0x4009_21fb_5444_2d18L);
        handler.handle(fp, new PendingTrap(TrapCause.STORE_GUEST_PAGE_FAULT, fpDevice + 16, (fpDevice + 16) >>> 2,
                0x00d0_3027L, CODE + 4, PrivilegeMode.SUPERVISOR, true));
        assertThat(values.writes()).containsExactly(new RecordingMmioDevice.Access(16, 8, 0x4009_21fb_5444_2d18L));
        assertThat(fp.pc()).isEqualTo(CODE + 8);
    }

    /**
     * sd t0 at the last 4 bytes of a RAM page whose next virtual page the guest mapped onto the device: the hart
     * faults on the second half (xtval and htval name the device page, htinst's address offset is 4). Emulating 8
     * bytes at the device page would put the register's low half where its high half belongs and drop the RAM half;
     * the guest gets the access fault a device that cannot take a split access raises.
     */
    @Test
    void aMisalignedAccessSplitBetweenRamAndADeviceIsAnAccessFault() {
        long secondPage = 0x4000_1000L;
        hart.writeCsr(CsrAddress.VSTVEC, RAM + 0x800);
        hart.setPc(CODE);
        long sdWithOffset4 = 0x0050_3023L | 4L << 15; // sd t0, 0(x0) transformed, address offset 4
        handler.handle(hart, new PendingTrap(TrapCause.STORE_GUEST_PAGE_FAULT, secondPage, DEVICE >>> 2,
                sdWithOffset4, CODE, PrivilegeMode.SUPERVISOR, true));

        assertThat(device.writes()).isEmpty();
        assertThat(hart.readCsr(CsrAddress.VSCAUSE)).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(hart.readCsr(CsrAddress.VSTVAL)).isEqualTo(secondPage);
    }

    @Test
    void aMisalignedLoadSplitBetweenRamAndADeviceIsAnAccessFaultToo() {
        long secondPage = 0x4000_1000L;
        hart.writeCsr(CsrAddress.VSTVEC, RAM + 0x800);
        hart.setPc(CODE);
        hart.setRegister(10, 0x1234);
        long lwWithOffset2 = 0x0000_2503L | 2L << 15; // lw a0, 0(x0) transformed, address offset 2
        handler.handle(hart, new PendingTrap(TrapCause.LOAD_GUEST_PAGE_FAULT, secondPage, DEVICE >>> 2,
                lwWithOffset2, CODE, PrivilegeMode.SUPERVISOR, true));

        assertThat(hart.register(10)).isEqualTo(0x1234);
        assertThat(hart.readCsr(CsrAddress.VSCAUSE)).isEqualTo(TrapCause.LOAD_ACCESS_FAULT);
    }
}
