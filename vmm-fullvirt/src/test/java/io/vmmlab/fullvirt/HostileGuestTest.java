package io.vmmlab.fullvirt;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.testing.ExitLoop;
import io.vmmlab.api.testing.FakeMachine;
import io.vmmlab.cpu.InterpreterCpuProvider;
import io.vmmlab.cpu.testing.FakeMachines;
import io.vmmlab.fullvirt.translate.TranslationCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.S0;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.S2;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.T3;
import static io.vmmlab.cpu.testing.Assembler.T4;
import static io.vmmlab.cpu.testing.Assembler.addi;
import static io.vmmlab.cpu.testing.Assembler.amo;
import static io.vmmlab.cpu.testing.Assembler.beq;
import static io.vmmlab.cpu.testing.Assembler.bne;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.custom0;
import static io.vmmlab.cpu.testing.Assembler.ebreak;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.fenceI;
import static io.vmmlab.cpu.testing.Assembler.jal;
import static io.vmmlab.cpu.testing.Assembler.jalr;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.lui;
import static io.vmmlab.cpu.testing.Assembler.sd;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static io.vmmlab.cpu.testing.Assembler.sret;
import static io.vmmlab.cpu.testing.Assembler.sw;
import static io.vmmlab.cpu.testing.Assembler.wfi;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static io.vmmlab.fullvirt.GuestHarness.DATA;
import static io.vmmlab.fullvirt.GuestHarness.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A red team's guests: each does something a hostile or merely unusual kernel may do, and checks that it sees what it
 * would see natively and that the VMM's own memory stays out of its reach.
 */
final class HostileGuestTest {
    private static final int STVEC = 0x105;
    private static final int SSTATUS = 0x100;
    private static final int SEPC = 0x141;
    private static final int SATP = 0x180;
    private static final long LAST_PAGE = GuestHarness.VMM_BASE - 0x1000;
    private static final long VALUE = 0x1122_3344_5566_7788L;

    /**
     * Runs the guest natively ({@link NativeGuest}) and under the VMM from the same RAM and registers, and checks that
     * it ends with the same registers and the same guest RAM.
     *
     * @return the VMM's run's SBI call
     */
    static SbiCall runAndCompareWithNative(GuestHarness guest, Map<Integer, Long> registers) {
        return runAndCompareWithNative(guest, registers, board -> { });
    }

    /** As {@link #runAndCompareWithNative(GuestHarness, Map)}, with devices mapped alike on the native board. */
    static SbiCall runAndCompareWithNative(GuestHarness guest, Map<Integer, Long> registers,
                                           Consumer<FakeMachine> devices) {
        devices.accept(guest.machine);
        NativeGuest reference = NativeGuest.run(guest.machine.memory(), registers, "rv64imac", devices);
        guest.start();
        registers.forEach(guest.hart()::setRegister);
        SbiCall call = guest.runToSbiCall();
        for (int register = 1; register < 32; register++) {
            // a0 and a1 as the guest made its SBI call: the harness's firmware has answered in them since
            long actual = register == A0 ? call.a0() : register == A0 + 1 ? call.a1() : guest.hart().register(register);
            assertThat(actual).as("x%d as natively", register).isEqualTo(reference.register(register));
        }
        assertSameRam(guest.machine.memory(), reference.memory());
        return call;
    }

    /**
     * As {@link #runAndCompareWithNative(GuestHarness, Map)}, with a {@link ByteDevice} at {@code DEVICE} on both
     * boards.
     *
     * @return the devices: the VMM's board's first, the native board's second
     */
    private static List<ByteDevice> runWithDeviceAndCompare(GuestHarness guest, Map<Integer, Long> registers) {
        List<ByteDevice> devices = new ArrayList<>();
        runAndCompareWithNative(guest, registers, board -> {
            ByteDevice device = new ByteDevice();
            devices.add(device);
            board.mmio().map("dev", new AddressRange(DEVICE, 0x1000), device);
        });
        return devices;
    }

    private static void assertSameRam(GuestMemory actual, GuestMemory expected) {
        for (long address = expected.range().base(); address < expected.range().end(); address += 8) {
            if (actual.read64(address) != expected.read64(address)) {
                assertThat(Long.toHexString(actual.read64(address))).as("guest RAM at 0x%x as natively", address)
                        .isEqualTo(Long.toHexString(expected.read64(address)));
            }
        }
    }

    /**
     * A misaligned doubleword store that starts in the last page of guest RAM, a page the guest uses as a page table
     * (so the shadows trace stores to it), and ends in the first page of the VMM's region, which the guest's identity
     * gigapage names: natively the second page is no memory (a store access fault at its first byte, memory
     * unchanged). The VMM must neither write the VMM's region nor fail.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aMisalignedStoreFromATracedPageTableIntoVmmMemoryIsAnAccessFault(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        // 0xc000_0000: a level-1 table in the last page of guest RAM, whose 2 MiB leaf maps guest RAM again.
        guest.machine.memory().write64(ROOT + 3 * 8, (LAST_PAGE >>> 12) << 10 | Pte.V);
        guest.machine.memory().write64(LAST_PAGE, (0x8000_0000L >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        long vmmBefore = guest.machine.physicalMemory().read64(GuestHarness.VMM_BASE);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S2, 0), sd(T2, S0, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S2, 0xc000_0000L + (DATA - 0x8000_0000L)); // walks (and so traces) LAST_PAGE
        registers.put(S0, LAST_PAGE + 0xffc);
        registers.put(T2, VALUE);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).isEqualTo(TrapCause.STORE_ACCESS_FAULT);
        assertThat(call.a1()).as("the faulting part begins at the second page").isEqualTo(GuestHarness.VMM_BASE);
        assertThat(guest.machine.memory().read32(LAST_PAGE + 0xffc)).as("nothing written").isZero();
        assertThat(guest.machine.physicalMemory().read64(GuestHarness.VMM_BASE)).isEqualTo(vmmBefore);
    }

    /**
     * A misaligned doubleword store across two virtual pages whose first is a traced guest page table and whose
     * second maps an unrelated data page: natively the low half goes to the table, the high half to the data page.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aMisalignedStoreFromATracedPageTableWritesTheVirtuallyNextPage(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long level0 = levelZeroTable(guest, 3);
        guest.machine.memory().write64(level0, (level0 >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(level0 + 8, (DATA >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sd(T2, S0, 0), ld(A0, S2, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S0, 0xc000_0ffcL);
        registers.put(S2, 0xc000_1000L);
        registers.put(T2, VALUE);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(guest.machine.memory().read32(level0 + 0xffc)).isEqualTo(0x5566_7788);
        assertThat(guest.machine.memory().read32(DATA)).isEqualTo(0x1122_3344);
        assertThat(guest.machine.memory().read32(level0 + 0x1000)).as("the physically next page").isZero();
        assertThat(call.a0() & 0xffff_ffffL).isEqualTo(0x1122_3344L);
    }

    /**
     * The same store the other way round: its first page is ordinary data, its second a traced guest page table.
     * The hart reports the fault at the second page's first byte; the VMM must still store the value's low half
     * into the first page and only its high half into the table.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aMisalignedStoreIntoATracedPageTableStoresOnlyItsHighHalfThere(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long level0 = levelZeroTable(guest, 3);
        guest.machine.memory().write64(level0, (DATA >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(level0 + 8, (level0 >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        long entry0 = guest.machine.memory().read64(level0);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sd(T2, S0, 0), ld(A0, S2, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S0, 0xc000_0ffcL);
        registers.put(S2, DATA + 0xff8);
        registers.put(T2, VALUE);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0() >>> 32).as("the low half in the data page").isEqualTo(0x5566_7788L);
        assertThat(guest.machine.memory().read64(level0))
                .as("the table's first entry keeps its low half, gets the value's high half")
                .isEqualTo((entry0 & ~0xffff_ffffL) | 0x1122_3344L);
    }

    /**
     * sstatus.MXR applies to U-mode loads too (Privileged spec, "Memory Privilege in sstatus"): guest user code may
     * load from its execute-only page while its kernel has MXR set.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void mxrLetsGuestUserCodeLoadFromAnExecuteOnlyPage(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long userCode = 0x4000_0000L;
        long executeOnly = 0x4000_1000L;
        long level0 = levelZeroTable(guest, 1);
        long userPage = CODE + 0x3000;
        guest.machine.memory().write64(level0, (userPage >>> 12) << 10 | 0xdb); // V R X U A D
        guest.machine.memory().write64(level0 + 8, (DATA >>> 12) << 10 | 0xd9); // V X U A D: execute-only
        guest.machine.memory().write64(DATA, 0x4242);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), csrrw(0, SSTATUS, T1), csrrw(0, SEPC, S2), sret());
        guest.load(userPage, ld(T2, S0, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(T1, 1L << 19); // MXR
        registers.put(S2, userCode);
        registers.put(S0, executeOnly);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).as("the load did not fault: the ecall after it reached the kernel")
                .isEqualTo(TrapCause.ECALL_FROM_USER);
        assertThat(guest.hart().register(T2)).isEqualTo(0x4242);
    }

    /**
     * A misaligned word load whose first half is guest RAM and whose second half is a device register (the guest maps
     * the device right after a RAM page): natively the hart reads the RAM bytes and the device's bytes one by one.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aMisalignedLoadFromRamIntoADeviceReadsEachPartFromItsOwnPage(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long level0 = levelZeroTable(guest, 3);
        guest.machine.memory().write64(level0, (DATA >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(level0 + 8, (DEVICE >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(DATA + 0xff8, 0xaabb_ccdd_eeff_0011L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T2, S0, 0), sd(T1, S0, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S0, 0xc000_0ffdL);
        registers.put(T1, VALUE);
        List<ByteDevice> devices = runWithDeviceAndCompare(guest, registers);

        assertThat(devices.get(0).writes).as("the VMM's device writes as the native hart's")
                .isEqualTo(devices.get(1).writes);
        assertThat(guest.hart().register(T2)).isEqualTo(0x0504_0302_01aa_bbccL);
    }

    /**
     * A misaligned store from a traced page table into a page the guest does not map: natively a store page fault at
     * the second page's first byte, and the first page untouched.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aMisalignedStoreFromATracedPageTableIntoAnUnmappedPageFaultsThereAndWritesNothing(
            FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long level0 = levelZeroTable(guest, 3);
        guest.machine.memory().write64(level0, (level0 >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sd(T2, S0, 0), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S0, 0xc000_0ffaL);
        registers.put(T2, VALUE);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).isEqualTo(TrapCause.STORE_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(0xc000_1000L);
    }

    private static final long DEVICE = 0x1000_0000L;

    /**
     * A misaligned load and a misaligned store from a RAM page into a device page whose device has no register from
     * offset 2 on: natively the hart accesses the device byte by byte, and its access fault reports the refused
     * byte's address in stval (the bytes before it stored), not the access's start.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aSplitAccessThatTheDeviceRefusesFaultsAtTheRefusedByte(FullVirtTechnique technique) {
        for (int access : new int[] {ld(T2, S0, 0), sd(T1, S0, 0)}) {
            GuestHarness guest = new GuestHarness(technique);
            long level0 = levelZeroTable(guest, 3);
            guest.machine.memory().write64(level0, (DATA >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
            guest.machine.memory().write64(level0 + 8, (DEVICE >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
            guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), access, ecall());
            Map<Integer, Long> registers = new LinkedHashMap<>();
            registers.put(T0, GuestHarness.guestSatp());
            registers.put(S0, 0xc000_0ffcL);
            registers.put(T1, VALUE);
            List<ByteDevice> devices = new ArrayList<>();

            SbiCall call = runAndCompareWithNative(guest, registers, board -> {
                ByteDevice device = new ByteDevice(2);
                devices.add(device);
                board.mmio().map("dev", new AddressRange(DEVICE, 0x1000), device);
            });

            assertThat(call.a1()).as("stval: the refused byte").isEqualTo(0xc000_1002L);
            assertThat(devices.get(0).writes).isEqualTo(devices.get(1).writes);
        }
    }

    /** A device whose byte at offset k reads as k + 1 (so a split read shows which bytes came from where). */
    private static final class ByteDevice implements MmioDevice {
        final List<String> writes = new ArrayList<>();
        // The first offset with no register: an access there is refused (an access fault for the hart).
        private final long refusedFrom;

        ByteDevice() {
            this(Long.MAX_VALUE);
        }

        ByteDevice(long refusedFrom) {
            this.refusedFrom = refusedFrom;
        }

        private void check(long offset, int size) {
            if (offset + size > refusedFrom) {
                throw new MemoryAccessException(offset, "no register at offset " + offset);
            }
        }

        @Override
        public long read(long offset, int size) {
            check(offset, size);
            long value = 0;
            for (int i = 0; i < size; i++) {
                value |= (offset + i + 1) << (8 * i);
            }
            return value;
        }

        @Override
        public void write(long offset, int size, long value) {
            check(offset, size);
            long meaningful = size == 8 ? value : value & ((1L << (8 * size)) - 1);
            writes.add(offset + "/" + size + "=" + Long.toHexString(meaningful));
        }
    }

    /**
     * Under bt the guest kernel returns (SRET) to an address in the translation cache's window, which it does not
     * map: natively an instruction page fault there. The VMM must not run its own translated code from wherever the
     * guest pointed into the cache.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aReturnIntoTheTranslationCachesWindowIsTheGuestsOwnFetch(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), csrrw(0, SSTATUS, T1), csrrw(0, SEPC, S2),
                addi(T2, T2, 1), sret());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(T1, 1L << 8); // SPP = S
        registers.put(S2, TranslationCache.WINDOW + 4);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).isEqualTo(TrapCause.INSTRUCTION_PAGE_FAULT);
        assertThat(call.a1()).isEqualTo(TranslationCache.WINDOW + 4);
        assertThat(guest.hart().register(T2)).as("the guest's code ran once").isEqualTo(1);
    }

    /**
     * The same with a trap vector in the window: natively the trap's entry is a fetch page fault there, which traps to
     * the same vector again, for ever; the guest's own code before the trap never runs again.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aTrapVectorInTheTranslationCachesWindowIsTheGuestsOwnFetch(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.load(CODE, csrrw(0, SATP, T0), csrrw(0, STVEC, S2), addi(T2, T2, 1), ld(A0, 0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S2, TranslationCache.WINDOW);

        ExitLoop.run(guest.hypervisor, guest.hart(), 1, 200, () -> false);

        assertThat(guest.hart().register(T2)).as("the guest's code ran once").isEqualTo(1);
        assertThat(guest.hypervisor.guestCsr(guest.hart(), 0x142)).as("scause")
                .isEqualTo(TrapCause.INSTRUCTION_PAGE_FAULT);
        assertThat(guest.hypervisor.guestCsr(guest.hart(), 0x141)).as("sepc").isEqualTo(TranslationCache.WINDOW);
    }

    /**
     * Each supervisor CSR the VMM emulates, written with all ones, alternating bits and zero, reads back as the hart's
     * own does natively (the WARL rules): sstatus, sie, stvec, sscratch, sepc, scause, stval, sip, scounteren,
     * senvcfg, and satp with reserved modes (ignored).
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void emulatedSupervisorCsrsReadBackAsNatively(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        int[] csrs = {SSTATUS, 0x104, STVEC, 0x140, SEPC, 0x142, 0x143, 0x144, 0x106, 0x10a};
        int[] patterns = {20, 21, 22, 0};
        List<Integer> code = new ArrayList<>();
        int slot = 0;
        for (int csr : csrs) {
            for (int pattern : patterns) {
                code.add(csrrw(0, csr, pattern));
                code.add(csrrs(T1, csr, 0));
                code.add(sd(T1, S0, 8 * slot++));
                code.add(csrrw(0, csr, 0));
            }
            if (csr == STVEC) {
                code.add(csrrw(0, STVEC, S1)); // the harness's handler again
            }
        }
        for (int pattern : new int[] {20, 21}) { // satp with reserved modes (15, 5): no effect
            code.add(csrrw(0, SATP, pattern));
            code.add(csrrs(T1, SATP, 0));
            code.add(sd(T1, S0, 8 * slot++));
        }
        code.add(ecall());
        guest.load(CODE, code.stream().mapToInt(Integer::intValue).toArray());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(S0, DATA);
        registers.put(20, -1L);
        registers.put(21, 0x5555_5555_5555_5555L);
        registers.put(22, 0xaaaa_aaaa_aaaa_aaaaL);

        runAndCompareWithNative(guest, registers);
    }

    /**
     * Another writer rewrites a store of the kernel's while the hart still runs its old copy (under trap the hart's
     * decoded code, which only the hart's FENCE.I refreshes, written here by a hart outside the VMM; under bt the
     * translation the hart is inside, rewritten by the host): the old store, into a traced page table in the last page
     * of guest RAM, traps, and the VMM must not emulate the new instruction at the old one's address. Natively the
     * hart runs either the old store or the new one (no FENCE.I); nothing may reach past guest RAM, and the VMM must
     * not fail.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aStoreRewrittenUnderTheHartIsEmulatedAsOneInstructionOrTheOther(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long function = CODE + 0x1000;
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.machine.memory().write64(ROOT + 3 * 8, (LAST_PAGE >>> 12) << 10 | Pte.V);
        guest.machine.memory().write64(LAST_PAGE, (0x8000_0000L >>> 12) << 10 | GuestHarness.PTE_KERNEL_RW);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S2, 0), addi(T1, S0, 0),
                jal(0, (int) (function - CODE - 16)));
        // Stores to the traced page a few times in a loop (one block, chained to itself under bt).
        guest.load(function, sw(A0 + 3, T1, -4), addi(T2, T2, -1), bne(T2, 0, -8), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S2, 0xc000_0000L + (DATA - 0x8000_0000L)); // walks (and traces) LAST_PAGE
        guest.hart().setRegister(S0, LAST_PAGE + 0x1000);
        guest.hart().setRegister(T2, 6);
        guest.hart().setRegister(A0 + 3, VALUE);
        guest.runUntil(T2, 3); // in the loop now

        int replacement = sd(A0 + 3, T1, -8); // the same base register, another address: LAST_PAGE + 0xff8
        if (technique == FullVirtTechnique.TRAP) {
            Hart other = new InterpreterCpuProvider().create(new HartConfig(1, IsaSpec.parse("rv64imac"),
                    FakeMachine.RAM_BASE, Set.of()), guest.machine.hartResources());
            guest.load(DATA + 0x2000, sw(T0, T1, 0), wfi());
            other.setPc(DATA + 0x2000);
            other.setRegister(T0, replacement);
            other.setRegister(T1, function);
            assertThat(other.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        } else {
            guest.machine.hostWrite32(function, replacement);
        }
        SbiCall call = guest.runToSbiCall();

        long oldStore = guest.machine.memory().read32(LAST_PAGE + 0xffc) & 0xffff_ffffL;
        long newStore = guest.machine.memory().read64(LAST_PAGE + 0xff8);
        assertThat(call.a0()).as("no fault (the ecall after the store)").isEqualTo(0);
        assertThat(oldStore == (VALUE & 0xffff_ffffL) || newStore == VALUE)
                .as("one store or the other: 0x%x at +0xffc, 0x%x at +0xff8", oldStore, newStore).isTrue();
    }

    /**
     * A store of the kernel's is rewritten under the hart twice, each time while the hart holds an older copy of it
     * (decoded, or translated under bt): the first time, to a store the VMM does not trap, then back after a FENCE.I
     * and rewritten again once the hart holds the trapped store anew. Natively there is never a fault (the hart runs
     * one copy or the other). The VMM must run the instruction again both times: an access fault is only for an
     * instruction that still does not match right after its fresh fetch, not for one whose pc had been stale once.
     * (Under bt both rewrites find the hart in its old translation; under trap the interpreter has its own copy
     * current again for the second one, so only the first is stale there.)
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aStoreRewrittenUnderTheHartAgainAfterAFenceIIsRunAgainNotRefused(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long function = CODE + 0x1000;
        long store = function + 4;
        int traced = sw(A0 + 3, T1, 0); // into the root table: traced
        int untraced = sw(A0 + 3, S2 + 1, 0); // into DATA: never trapped once filled
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), jal(0, (int) (function - CODE - 8)));
        // Two rounds of a loop around the store, a FENCE.I between them.
        guest.load(function, addi(T2, T2, -1), traced, bne(T2, 0, -8), fenceI(), addi(S2 + 2, S2 + 2, -1),
                addi(T2, 0, 3), bne(S2 + 2, 0, -24), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(T1, ROOT + 0x800);
        guest.hart().setRegister(S2 + 1, DATA);
        guest.hart().setRegister(S2 + 2, 2);
        guest.hart().setRegister(T2, 5);
        guest.hart().setRegister(A0 + 3, VALUE);
        CodeWriter writer = new CodeWriter(guest);

        guest.runUntil(T2, 2); // at the store, which trapped twice: its traced copy held
        writer.write(store, untraced); // the old copy traps, and is run again as the untraced store
        guest.runUntil(S2 + 2, 1); // past the FENCE.I
        writer.write(store, traced);
        guest.runUntil(T2, 2); // round two, at the store: its traced copy held again
        writer.write(store, untraced);
        SbiCall call = guest.runToSbiCall();

        assertThat(call.a0()).as("no fault: the ecall after the loop (scause otherwise)").isZero();
        assertThat(guest.hart().register(S2 + 2)).isZero();
    }

    /**
     * Writes guest code behind the guest hart's back: under trap from a hart outside the VMM (the guest hart keeps its
     * decoded copy until its FENCE.I), under bt through the host (the guest hart goes on in the translation it is in).
     */
    private static final class CodeWriter {
        private final GuestHarness guest;
        private final Hart other;

        CodeWriter(GuestHarness guest) {
            this.guest = guest;
            this.other = guest.technique == FullVirtTechnique.TRAP
                    ? new InterpreterCpuProvider().create(new HartConfig(1, IsaSpec.parse("rv64imac"),
                            FakeMachine.RAM_BASE, Set.of()), guest.machine.hartResources())
                    : null;
            guest.load(DATA + 0x2000, sw(T0, T1, 0), wfi());
        }

        void write(long address, int instruction) {
            if (other == null) {
                guest.machine.hostWrite32(address, instruction);
                return;
            }
            other.setPc(DATA + 0x2000);
            other.setRegister(T0, instruction);
            other.setRegister(T1, address);
            assertThat(other.run(100)).isEqualTo(HartExit.WAIT_FOR_INTERRUPT);
        }
    }

    /**
     * Under bt, a branch whose taken side was never run is first taken when the translation cache is nearly full:
     * translating its target flushes the cache and places the target's block at the cache's start, over the stub's
     * old place. Chaining must not patch the old stub's place, which now holds the target's own code. (A cache of
     * 16 KiB: 114 blocks of 32 instructions fill it to within a block of the end.)
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aStubFirstTakenWhenTheCacheIsFullDoesNotPatchTheFreshCode(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique, FakeMachines.withInterpreterHart("rv64imac",
                GuestHarness.RAM_SIZE, 64 << 10));
        long big = CODE + 0x4000;
        // CODE: the taken side goes to CODE + 16 (a0 += 8, then the SBI call); the first time, to the big code.
        guest.load(CODE, csrrw(0, STVEC, S1), bne(T2, 0, 12), jal(0, (int) (big - CODE - 8)), addi(0, 0, 0));
        int[] eight = new int[9];
        Arrays.fill(eight, addi(A0, A0, 1));
        eight[8] = ecall();
        guest.load(CODE + 16, eight);
        int[] straight = new int[114 * 32 + 32];
        Arrays.fill(straight, addi(A0 + 4, A0 + 4, 1));
        straight[straight.length - 2] = addi(T2, 0, 1);
        straight[straight.length - 1] = jal(0, (int) (CODE - (big + 4L * (straight.length - 1))));
        guest.load(big, straight);
        Map<Integer, Long> registers = new LinkedHashMap<>();

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).isEqualTo(8);
        if (technique == FullVirtTechnique.BT) {
            assertThat(guest.counter("bt", "cache-flush")).as("the cache was flushed once").isEqualTo(1);
        }
    }

    /**
     * Guest user code that its kernel maps inside the translation cache's window (the upper half, as a kernel may)
     * runs natively in the user view, where the window is the guest's own memory. It executes the callout opcode
     * at the address where, in the cache, the kernel's translated {@code csrw stvec} call-out lies: natively an
     * illegal instruction for the kernel; under bt it must never run the kernel's sensitive emulation in virtual
     * U-mode (which let user code set its kernel's stvec).
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void guestUserCodeInsideTheWindowCannotRunTheKernelsCallouts(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        long userPage = DATA + 0x5000;
        long rootIndex = (TranslationCache.WINDOW >>> 30) & 0x1ff;
        long level0 = levelZeroTable(guest, rootIndex);
        guest.machine.memory().write64(level0, (userPage >>> 12) << 10 | 0x5b); // V R X U A
        // The kernel's first translated block: csrw satp, csrw stvec (the cache's second word), csrw sepc, sret.
        guest.load(CODE, csrrw(0, SATP, T0), csrrw(0, STVEC, S1), csrrw(0, SEPC, S2), sret());
        int callout = custom0(0x1234);
        guest.load(userPage, addi(S1, 0, 0x120), callout, ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S2, TranslationCache.WINDOW);

        SbiCall call = runAndCompareWithNative(guest, registers);

        assertThat(call.a0()).isEqualTo(TrapCause.ILLEGAL_INSTRUCTION);
        assertThat(call.a1()).isEqualTo(callout & 0xffff_ffffL);
        assertThat(call.a2()).isEqualTo(TranslationCache.WINDOW + 4);
    }

    /**
     * The guest kernel has the SBI debug console read into one of its page tables (the host writes guest RAM on its
     * behalf, as a device's DMA would), clearing the PTE of an alias it used, and fences: natively the alias is gone.
     * The shadow entry derived from the old PTE must go too.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aConsoleReadIntoAGuestPageTableDropsTheShadowEntriesDerivedFromIt(FullVirtTechnique technique) {
        long debugConsole = 0x4442_434eL;
        GuestHarness guest = new GuestHarness(technique, GuestHarness.machine("rv64imac"), (platform, call) -> {
            if (call.extension() == debugConsole && call.function() == 1 && call.a1() == ROOT + 3 * 8) {
                for (long i = 0; i < call.a0(); i++) {
                    platform.memory().write8(call.a1() + i, 0); // NUL bytes typed at the console
                }
            } else {
                platform.systemReset(0, 0);
            }
        });
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.mapGigapage(0xc000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RW);
        guest.machine.memory().write64(DATA, 42);
        long alias = 0xc000_0000L + (DATA - 0x8000_0000L);
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), ld(T1, S0, 0), ecall(), sfenceVma(0, 0),
                ld(T2, S0, 0), addi(A0 + 7, 0, 0), ecall());
        guest.start();
        guest.hart().setRegister(T0, GuestHarness.guestSatp());
        guest.hart().setRegister(S0, alias);
        guest.hart().setRegister(A0, 8);
        guest.hart().setRegister(A0 + 1, ROOT + 3 * 8);
        guest.hart().setRegister(A0 + 6, 1);
        guest.hart().setRegister(A0 + 7, debugConsole);

        ExitLoop.run(guest.hypervisor, guest.hart(), 1_000, 1_000, () -> guest.calls.size() >= 2);

        assertThat(guest.hart().register(T1)).as("the alias before the read").isEqualTo(42);
        assertThat(guest.machine.memory().read64(ROOT + 3 * 8)).isZero();
        assertThat(guest.calls).hasSize(2);
        assertThat(guest.calls.get(1).a0()).as("the alias is gone").isEqualTo(TrapCause.LOAD_PAGE_FAULT);
        assertThat(guest.calls.get(1).a1()).isEqualTo(alias);
    }

    /**
     * Two harts under bt: hart 1 loops in kernel code at a virtual page (chained to itself in the cache); hart 0
     * maps that page to other code and has the SBI fence hart 1 (remote SFENCE.VMA). Natively hart 1's fetches after
     * the fence come from the new page; it must not go on in the old page's translation for ever.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void aRemoteFenceAfterRemappingCodeMakesTheOtherHartFetchTheNewCode(FullVirtTechnique technique) {
        long hsm = 0x48_534dL;
        long rfence = 0x5246_4e43L;
        long done = 0x99;
        FakeMachine board = GuestHarness.machine("rv64imac");
        board.addHart(new InterpreterCpuProvider().create(new HartConfig(1, IsaSpec.parse("rv64imac"),
                FakeMachine.RAM_BASE, Set.of()), board.hartResources()));
        GuestHarness guest = new GuestHarness(technique, board, (platform, call) -> {
            if (call.extension() == hsm) {
                platform.startHart((int) call.a0(), call.a1(), call.a2());
            } else if (call.extension() == rfence) {
                platform.remoteFence(1);
            }
        });
        long oldCode = DATA + 0x1000;
        long newCode = DATA + 0x2000;
        long flag = DATA;
        long hart1Entry = CODE + 0x100;
        long level0 = levelZeroTable(guest, 1);
        guest.machine.memory().write64(level0, (oldCode >>> 12) << 10 | 0x4b); // V R X A at 0x4000_0000
        guest.load(oldCode, addi(A0 + 3, A0 + 3, 1), beq(0, 0, -4));
        guest.load(newCode, addi(A0 + 4, A0 + 4, 1), addi(A0 + 7, 0, (int) done), ecall());
        // Hart 1: its satp from a1, then the loop at 0x4000_0000.
        guest.load(hart1Entry, csrrw(0, SATP, A0 + 1), lui(T0, 0x40000),
                jalr(0, T0, 0));
        // Hart 0: start hart 1, wait for the flag, remap the page, fence hart 1, then idle.
        guest.load(CODE, csrrw(0, STVEC, S1), csrrw(0, SATP, T0), addi(A0 + 7, S2 + 1, 0), addi(A0, 0, 1),
                addi(A0 + 1, S2 + 2, 0), addi(A0 + 2, T0, 0), ecall(),
                ld(T2, S2, 0), beq(T2, 0, -4),
                sd(A0 + 4, T1, 0),
                addi(A0 + 7, S2 + 3, 0), addi(A0 + 6, 0, 1), addi(A0, 0, 2), addi(A0 + 1, 0, 0), ecall(),
                beq(0, 0, 0));
        guest.start();
        Hart hart0 = guest.hart();
        Hart hart1 = board.harts().get(1);
        hart0.setRegister(T0, GuestHarness.guestSatp());
        hart0.setRegister(S2, flag);
        hart0.setRegister(S2 + 1, hsm);
        hart0.setRegister(S2 + 2, hart1Entry);
        hart0.setRegister(S2 + 3, rfence);
        hart0.setRegister(T1, level0);
        hart0.setRegister(A0 + 4, (newCode >>> 12) << 10 | 0x4b);

        runBoth(guest, () -> hart1.register(A0 + 3) > 200);
        assertThat(hart1.register(A0 + 3)).as("hart 1 loops in the old code").isGreaterThan(200);
        guest.machine.memory().write64(flag, 1);
        runBoth(guest, () -> guest.calls.stream().anyMatch(call -> call.extension() == done));

        assertThat(guest.calls.stream().anyMatch(call -> call.extension() == done))
                .as("hart 1 ran the new code after the fence (a3 = %d)", hart1.register(A0 + 3)).isTrue();
    }

    /** Runs every runnable hart in turn, a slice at a time, until the condition holds (or 2,000 rounds). */
    private static void runBoth(GuestHarness guest, BooleanSupplier done) {
        for (int round = 0; round < 2_000 && !done.getAsBoolean(); round++) {
            for (Hart hart : guest.machine.harts()) {
                if (guest.hypervisor.isRunnable(hart)) {
                    HartExit exit = hart.run(50);
                    guest.hypervisor.handleExit(hart, exit);
                }
            }
        }
    }

    /** Atomics, LR and SC on a device register: what the native hart does with them, the guest sees under the VMM. */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void atomicsOnADeviceRegisterAreAsNative(FullVirtTechnique technique) {
        for (int[] op : new int[][] {{0x01, 0}, {0x00, 1}, {0x02, 1}, {0x03, 0}}) {
            GuestHarness guest = new GuestHarness(technique);
            guest.load(CODE, csrrw(0, STVEC, S1), amo(op[0], op[1] == 1, T2, S0, T1),
                    ecall());
            Map<Integer, Long> registers = new LinkedHashMap<>();
            registers.put(S0, DEVICE + 8);
            registers.put(T1, VALUE);
            List<ByteDevice> devices = runWithDeviceAndCompare(guest, registers);

            assertThat(devices.get(0).writes).as("funct5 0x%x", op[0]).isEqualTo(devices.get(1).writes);
        }
    }

    /**
     * An LR, then an SC, on a device register: natively the SC succeeds (the reservation holds and the register still
     * has the value read) and writes; under the VMM, which emulates both, too.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void anScAfterAnLrOnADeviceRegisterIsAsNative(FullVirtTechnique technique) {
        GuestHarness guest = new GuestHarness(technique);
        guest.load(CODE, csrrw(0, STVEC, S1), amo(0x02, false, T2, S0, 0), amo(0x03, false, T3, S0, T1), ecall());
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(S0, DEVICE + 8);
        registers.put(T1, VALUE);
        registers.put(T3, 7L);
        List<ByteDevice> devices = runWithDeviceAndCompare(guest, registers);

        assertThat(guest.hart().register(T3)).as("the SC succeeded").isZero();
        assertThat(devices.get(0).writes).isEqualTo(devices.get(1).writes).isNotEmpty();
    }

    /**
     * An LR, a trap the guest kernel handles (EBREAK, its handler returning past it with SRET), then an SC, on a
     * device register and on RAM: natively the trap and the SRET drop the reservation and the SC fails; the VMM,
     * which delivers the trap and emulates the SRET, must drop it too.
     */
    @ParameterizedTest
    @EnumSource(FullVirtTechnique.class)
    void anScAfterATrapBetweenItAndItsLrFailsAsNative(FullVirtTechnique technique) {
        for (long address : new long[] {DEVICE + 8, DATA}) {
            GuestHarness guest = new GuestHarness(technique);
            guest.load(CODE, csrrw(0, STVEC, S1), amo(0x02, false, T2, S0, 0), ebreak(),
                    amo(0x03, false, T3, S0, T1), ecall());
            guest.load(CODE + 0x400, csrrs(T4, SEPC, 0), addi(T4, T4, 4), csrrw(0, SEPC, T4), sret());
            Map<Integer, Long> registers = new LinkedHashMap<>();
            registers.put(S0, address);
            registers.put(S1, CODE + 0x400);
            registers.put(T1, VALUE);
            registers.put(T3, 7L);
            List<ByteDevice> devices = runWithDeviceAndCompare(guest, registers);

            assertThat(guest.hart().register(T3)).as("the SC at 0x%x failed", address).isEqualTo(1);
            assertThat(devices.get(0).writes).isEqualTo(devices.get(1).writes);
        }
    }

    /**
     * Maps guest RAM as a kernel gigapage and links a level-1 and a level-0 table (at ROOT + 0x1000 and ROOT + 0x2000)
     * under the root's entry for gigabyte {@code rootIndex}, whose first 2 MiB are then the level-0 table's pages.
     *
     * @return the level-0 table's address, its entries still empty
     */
    private static long levelZeroTable(GuestHarness guest, long rootIndex) {
        long level1 = ROOT + 0x1000;
        long level0 = ROOT + 0x2000;
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        guest.machine.memory().write64(ROOT + rootIndex * 8, (level1 >>> 12) << 10 | Pte.V);
        guest.machine.memory().write64(level1, (level0 >>> 12) << 10 | Pte.V);
        return level0;
    }
}
