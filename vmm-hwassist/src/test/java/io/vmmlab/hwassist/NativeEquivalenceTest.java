package io.vmmlab.hwassist;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.cpu.csr.CsrAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vmmlab.cpu.testing.Assembler.*;
import static io.vmmlab.hwassist.GuestHarness.CODE;
import static io.vmmlab.hwassist.GuestHarness.SATP;
import static io.vmmlab.hwassist.GuestHarness.SEPC;
import static io.vmmlab.hwassist.GuestHarness.STVEC;
import static io.vmmlab.hwassist.GuestPageLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small guest kernels, each run natively ({@link NativeGuest}: the kernel in the hart's S-mode on its own satp) and
 * under hwassist (the same kernel in VS-mode, its tables translated again by the VMM's G-stage) from the same RAM
 * and registers. The guest must end with the same registers, the same RAM (A and D bits in its own page tables
 * included), the same trap registers (scause, stval, sepc and sstatus natively; their VS copies under the VMM) and
 * the same device traffic (UART output, writes to a recording device). Each case is a few instructions after a
 * common prologue (stvec, satp, SFENCE.VMA) over {@link GuestPageLayout}; the guest's trap handler reports through
 * an SBI call, which ends both runs.
 */
final class NativeEquivalenceTest {
    private static final int SSTATUS = 0x100;
    private static final int SIE = 0x104;
    private static final int SIP = 0x144;
    private static final long SUM = 1L << 18;
    private static final long MXR = 1L << 19;
    /** The sstatus bits a guest kernel can tell apart: SIE, SPIE, SPP, SUM, MXR. */
    private static final long SSTATUS_VISIBLE = 0x2 | 0x20 | 0x100 | SUM | MXR;
    private static final long VALUE = 0x1122_3344_5566_7788L;
    private static final int A6 = A4 + 2;
    private static final int A7 = A4 + 3;

    static List<GuestCase> cases() {
        List<GuestCase> cases = new ArrayList<>();
        cases.addAll(loadsAndStores());
        cases.addAll(atomics());
        cases.addAll(translation());
        cases.addAll(traps());
        cases.addAll(devices());
        cases.addAll(waits());
        return cases;
    }

    private static List<GuestCase> loadsAndStores() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("loads of every width", KERNEL_RW, lb(A3, S2, 15), lbu(A5, S2, 15), lh(A6, S2, 14),
                lhu(A7, S2, 14), lw(T1, S2, 12), lwu(T2, S2, 12), ld(T3, S2, 8)).poke(RW_FRAME + 8, 0x8899, 3));
        cases.add(new GuestCase("stores of every width", KERNEL_RW, sb(A4, S2, 16), sh(A4, S2, 18), sw(A4, S2, 20),
                sd(A4, S2, 24), ld(A3, S2, 16), ld(A5, S2, 24)));
        cases.add(new GuestCase("misaligned loads", KERNEL_RW, lh(A3, S2, 9), lhu(A5, S2, 11), lw(A6, S2, 10),
                lwu(A7, S2, 13), ld(T1, S2, 3)));
        cases.add(new GuestCase("misaligned stores", KERNEL_RW, sh(A4, S2, 33), sw(A4, S2, 38), sd(A4, S2, 45),
                ld(A3, S2, 32), ld(A5, S2, 40), ld(A6, S2, 48)));
        cases.add(new GuestCase("a load across into a physically distant page", KERNEL_RW + 0xffd, ld(A3, S2, 0),
                lw(A5, S2, 1), lh(A6, S2, 2)).poke(NEXT_FRAME, 0x1357, 0));
        cases.add(new GuestCase("a store across into a physically distant page", KERNEL_RW + 0xffa, sd(A4, S2, 0),
                sw(A4, S2, 4), ld(A3, S2, 2)));
        cases.add(new GuestCase("a store across into a read-only page", KERNEL_RW_NEXT + 0xffc, sd(A4, S2, 0))
                .with(S2, KERNEL_READ_ONLY - 4));
        cases.add(new GuestCase("a load across into a page beyond RAM", BEYOND_RAM - 4, ld(A3, S2, 0)));
        cases.add(new GuestCase("a store across into the VMM's region", VMM_REGION - 2, sw(A4, S2, 0)));
        cases.add(new GuestCase("a load across into a fresh page sets its A", KERNEL_RW_FRESH - 0x1000 + 0xffe,
                lw(A3, S2, 0)).with(S2, KERNEL_RW_FRESH - 2));
        return cases;
    }

    private static List<GuestCase> atomics() {
        List<GuestCase> cases = new ArrayList<>();
        int[] functions = {0x00, 0x01, 0x04, 0x0c, 0x08, 0x10, 0x14, 0x18, 0x1c};
        for (int function : functions) {
            for (boolean doubleword : new boolean[] {false, true}) {
                cases.add(new GuestCase(String.format("AMO funct5 0x%x.%s", function, doubleword ? "d" : "w"),
                        KERNEL_RW + 8, amo(function, doubleword, A3, S2, A4), ld(A5, S2, 0)));
            }
        }
        cases.add(new GuestCase("LR/SC: a pair, then an SC without a reservation", KERNEL_RW + 8,
                amo(0x02, true, A3, S2, 0), amo(0x03, true, A5, S2, A4), amo(0x03, true, A6, S2, A4),
                ld(A7, S2, 0), amo(0x02, false, T1, S2, 0), amo(0x03, false, T2, S2, A4)));
        cases.add(new GuestCase("LR/SC on a fresh page sets A, then D", KERNEL_RW_FRESH + 8,
                amo(0x02, true, A3, S2, 0), amo(0x03, true, A5, S2, A4)));
        cases.add(new GuestCase("an AMO on a fresh page sets A and D", KERNEL_RW_FRESH + 8,
                amo(0x00, true, A3, S2, A4)));
        cases.add(new GuestCase("an AMO on a page with A but not D sets D", KERNEL_RW_CLEAN + 8,
                amo(0x08, false, A3, S2, A4)));
        cases.add(new GuestCase("an AMO on a read-only page", KERNEL_READ_ONLY + 8, amo(0x00, true, A3, S2, A4)));
        cases.add(new GuestCase("LR on a read-only page, then SC", KERNEL_READ_ONLY + 8, amo(0x02, true, A3, S2, 0),
                amo(0x03, true, A5, S2, A4)));
        cases.add(new GuestCase("a misaligned AMO", KERNEL_RW + 4, amo(0x01, true, A3, S2, A4)));
        cases.add(new GuestCase("a misaligned LR", KERNEL_RW + 2, amo(0x02, false, A3, S2, 0)));
        cases.add(new GuestCase("an AMO beyond RAM", BEYOND_RAM + 8, amo(0x00, true, A3, S2, A4)));
        cases.add(new GuestCase("an AMO in the VMM's region", VMM_REGION + 8, amo(0x00, false, A3, S2, A4)));
        return cases;
    }

    private static List<GuestCase> translation() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("a load sets A", KERNEL_RW_FRESH, ld(A3, S2, 8)));
        cases.add(new GuestCase("a store sets A and D", KERNEL_RW_FRESH, sd(A4, S2, 16), ld(A3, S2, 16)));
        cases.add(new GuestCase("a store to a page with A sets D", KERNEL_RW_CLEAN, sw(A4, S2, 16)));
        cases.add(new GuestCase("a fetch sets A", EXECUTE_FRESH, jalr(RA, S2, 0))
                .words(EXECUTE_FRESH_FRAME, addi(A3, A3, 5), ecall()));
        int increment = addi(A3, A3, 1);
        cases.add(new GuestCase("a fetch across into a page without X", KERNEL_EXECUTE_ONLY + 0xffe, jalr(RA, S2, 0))
                .poke(GuestHarness.DATA + 0x3ffe, increment & 0xffff, 0).poke(RW_FRAME, increment >>> 16, 0));
        cases.add(new GuestCase("code rewritten ahead, then FENCE.I", 0, sw(T1, A6, 0), fenceI(), addi(A3, A3, 1))
                .with(A6, CODE + 4 * 5).with(T1, addi(A3, A3, 100)));
        cases.add(new GuestCase("a store to a read-only page", KERNEL_READ_ONLY, ld(A3, S2, 8), sd(A4, S2, 8)));
        cases.add(new GuestCase("a load from an execute-only page", KERNEL_EXECUTE_ONLY, ld(A3, S2, 8)));
        cases.add(new GuestCase("MXR: a load from an execute-only page", KERNEL_EXECUTE_ONLY,
                csrrs(0, SSTATUS, T1), ld(A3, S2, 8)).with(T1, MXR));
        cases.add(new GuestCase("a fetch from a page without X", KERNEL_RW, jalr(RA, S2, 0)));
        cases.add(new GuestCase("a kernel load from a user page", USER_RW, ld(A3, S2, 8)));
        cases.add(new GuestCase("SUM: a kernel load and store on a user page", USER_RW, csrrs(0, SSTATUS, T1),
                sd(A4, S2, 16), ld(A3, S2, 16)).with(T1, SUM));
        cases.add(new GuestCase("SUM: a kernel fetch from a user page", USER_CODE, csrrs(0, SSTATUS, T1),
                jalr(RA, S2, 0)).with(T1, SUM));
        cases.add(new GuestCase("a megapage: load and store", MEGAPAGE + 0x2_0000, ld(A3, S2, 8), sd(A4, S2, 16),
                ld(A5, S2, 16)));
        cases.add(new GuestCase("a misaligned megapage", MISALIGNED_MEGAPAGE, ld(A3, S2, 8)));
        cases.add(new GuestCase("a guest page table beyond RAM", TABLE_BEYOND_RAM, ld(A3, S2, 8)));
        cases.add(new GuestCase("a guest page table in the VMM's region", TABLE_IN_VMM_REGION, sd(A4, S2, 8)));
        cases.add(new GuestCase("a fetch through a guest page table beyond RAM", TABLE_BEYOND_RAM, jalr(RA, S2, 0)));
        cases.add(new GuestCase("a non-canonical Sv39 address", 0x40_0000_0000L, ld(A3, S2, 0)));
        cases.add(new GuestCase("Sv48: loads and a store", KERNEL_RW, csrrw(0, SATP, T1), sfenceVma(0, 0),
                ld(A3, S2, 8), sd(A4, S2, 16), ld(A5, S2, 16)).with(T1, SATP_SV48));
        cases.add(new GuestCase("Sv57: loads, a store that sets D, a megapage", KERNEL_RW_FRESH,
                csrrw(0, SATP, T1), sfenceVma(0, 0), ld(A3, S2, 8), sd(A4, S2, 16), ld(A5, A6, 8))
                .with(T1, SATP_SV57).with(A6, MEGAPAGE));
        cases.add(new GuestCase("Sv48: an address canonical only in Sv57", KERNEL_RW, csrrw(0, SATP, T1),
                sfenceVma(0, 0), ld(A3, S2, 8), ld(A5, A6, 0)).with(T1, SATP_SV48).with(A6, 0x0000_8000_0000_0000L));
        cases.add(new GuestCase("Sv57: an address beyond its 57 bits", KERNEL_RW, csrrw(0, SATP, T1),
                sfenceVma(0, 0), ld(A5, A6, 0)).with(T1, SATP_SV57).with(A6, 0x0100_0000_0000_0000L));
        cases.add(new GuestCase("a PTE rewritten, then SFENCE.VMA of its address", KERNEL_RW_FRESH, ld(A3, S2, 8),
                sd(T1, A6, 0), sfenceVma(S2, 0), ld(A5, S2, 8))
                .with(A6, LEVEL0).with(T1, pte(NEXT_FRAME, 0xc7)));
        cases.add(new GuestCase("a PTE rewritten, then SFENCE.VMA of its address and ASID", KERNEL_RW, ld(A3, S2, 8),
                sd(T1, A6, 5 * 8), sfenceVma(S2, T2), ld(A5, S2, 8))
                .with(A6, LEVEL0).with(T1, pte(NEXT_FRAME, 0xc7)).with(T2, 5));
        cases.add(new GuestCase("a PTE made invalid, then SFENCE.VMA of all", KERNEL_RW, ld(A3, S2, 8),
                sd(0, A6, 5 * 8), sfenceVma(0, 0), ld(A5, S2, 8)).with(A6, LEVEL0));
        cases.add(new GuestCase("A cleared by the guest, then fenced: set again", KERNEL_RW_FRESH, ld(A3, S2, 8),
                sd(T1, A6, 0), sfenceVma(0, T2), ld(A5, S2, 8))
                .with(A6, LEVEL0).with(T1, pte(FRESH_FRAME, 0x07)).with(T2, 0));
        cases.add(new GuestCase("a new ASID in satp", KERNEL_RW, ld(A3, S2, 8), csrrw(0, SATP, T1), ld(A5, S2, 8))
                .with(T1, SATP_SV39 | 7L << 44));
        return cases;
    }

    private static List<GuestCase> traps() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("ebreak", 0, ebreak()));
        cases.add(new GuestCase("c.ebreak", 0, 0x0001_9002));
        cases.add(new GuestCase("an all-zero instruction", 0, 0));
        cases.add(new GuestCase("mret", 0, mret()));
        cases.add(new GuestCase("a machine CSR", 0, csrrs(A3, 0x300, 0)));
        cases.add(new GuestCase("a hypervisor CSR", 0, csrrs(A3, 0x680, 0)));
        cases.add(new GuestCase("a VS CSR", 0, csrrs(A3, 0x200, 0)));
        cases.add(new GuestCase("HLV.D", KERNEL_RW, hlv(3, 0, A3, S2)));
        cases.add(new GuestCase("HFENCE.VVMA", 0, hfenceVvma(0, 0)));
        cases.add(new GuestCase("an unknown supervisor CSR", 0, csrrs(A3, 0x1c0, 0)));
        cases.add(new GuestCase("a write to cycle", 0, csrrw(0, 0xc00, A4)));
        cases.add(new GuestCase("reading sstatus, sie and satp", 0, csrrs(A3, SSTATUS, 0), csrrs(A5, SIE, 0),
                csrrs(A6, SATP, 0)));
        cases.add(new GuestCase("user mode: ecall", USER_CODE, csrrw(0, SEPC, S2), sret()).user(addi(A3, A3, 3),
                ecall()));
        cases.add(new GuestCase("user mode: a load from a kernel page", USER_CODE, csrrw(0, SEPC, S2), sret())
                .user(ld(A3, A6, 0)).with(A6, KERNEL_RW));
        cases.add(new GuestCase("user mode with SUM: a load from a kernel page", USER_CODE, csrrs(0, SSTATUS, T1),
                csrrw(0, SEPC, S2), sret()).user(ld(A3, A6, 0)).with(T1, SUM).with(A6, KERNEL_RW));
        cases.add(new GuestCase("user mode: a store to its page, then to a read-only one", USER_CODE,
                csrrw(0, SEPC, S2), sret()).user(sd(A4, A6, 0), sd(A4, A6, -0x1000)).with(A6, USER_RW + 0x1000 - 8));
        cases.add(new GuestCase("user mode: ebreak", USER_CODE, csrrw(0, SEPC, S2), sret()).user(ebreak()));
        cases.add(new GuestCase("user mode: sret", USER_CODE, csrrw(0, SEPC, S2), sret()).user(sret()));
        cases.add(new GuestCase("user mode: a supervisor CSR", USER_CODE, csrrw(0, SEPC, S2), sret())
                .user(csrrs(A3, SSTATUS, 0)));
        cases.add(new GuestCase("user mode: sfence.vma", USER_CODE, csrrw(0, SEPC, S2), sret())
                .user(sfenceVma(0, 0)));
        cases.add(new GuestCase("user mode: a misaligned load across pages", USER_CODE, csrrw(0, SEPC, S2), sret())
                .user(ld(A3, A6, 0)).with(A6, USER_RW + 0xffc));
        return cases;
    }

    private static List<GuestCase> devices() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("UART: transmit, scratch and status registers", UART, sb(A4, S2, 0),
                sb(T1, S2, 0), sb(A4, S2, 7), lbu(A3, S2, 7), lb(A5, S2, 5), lbu(A6, S2, 2)).with(T1, '\n'));
        cases.add(new GuestCase("UART through a guest page", UART_PAGE, sb(A4, S2, 0), sb(T1, S2, 7),
                lb(A3, S2, 7)).with(T1, 0xa5));
        cases.add(new GuestCase("a device: stores of every width", DEVICE_PAGE, sb(A4, S2, 1), sh(A4, S2, 2),
                sw(A4, S2, 4), sd(A4, S2, 8)));
        cases.add(new GuestCase("a device: loads of every width", DEVICE, lb(A3, S2, 0), lbu(A5, S2, 1),
                lh(A6, S2, 2), lhu(A7, S2, 4), lw(T1, S2, 8), lwu(T2, S2, 12), ld(T3, S2, 16)));
        cases.add(new GuestCase("a device: compressed load and store", DEVICE, cSw(A4, S0, 8) | cLw(A5, S0, 4) << 16)
                .with(S0, DEVICE));
        cases.add(new GuestCase("a device: a misaligned load", DEVICE, lw(A3, S2, 2)));
        cases.add(new GuestCase("a device: a misaligned store", DEVICE, sd(A4, S2, 4)));
        cases.add(new GuestCase("a device: a fetch", DEVICE, jalr(RA, S2, 0)));
        // Atomics on a device: the native bus performs them, and so does the VMM (the hart's htinst names them).
        cases.add(new GuestCase("a device: AMOSWAP.W", DEVICE, amo(0x01, false, A3, S2, A4)));
        cases.add(new GuestCase("a device: AMOADD.D and AMOMAXU.W", DEVICE, amo(0x00, true, A3, S2, A4),
                amo(0x1c, false, A5, S2, A4)));
        cases.add(new GuestCase("a device: LR.D", DEVICE, amo(0x02, true, A3, S2, 0)));
        cases.add(new GuestCase("a device: SC.W without a reservation", DEVICE, amo(0x03, false, A3, S2, A4)));
        cases.add(new GuestCase("a device: LR.W, then SC.W (the reservation holds)", DEVICE,
                amo(0x02, false, A3, S2, 0), amo(0x03, false, A5, S2, A4)));
        cases.add(new GuestCase("user mode: a device through a user page", USER_CODE,
                csrrw(0, SEPC, S2), sret()).user(lw(A3, A6, 0)).with(A6, DEVICE_PAGE));
        return cases;
    }

    private static List<GuestCase> waits() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("WFI with nothing pending", 0, wfi(), addi(A3, A3, 1)));
        cases.add(new GuestCase("WFI wakes on a masked software interrupt, taken once enabled", 0,
                csrrs(0, SIE, T1), csrrs(0, SIP, T1), wfi(), addi(A3, A3, 1), csrrs(A5, SIP, 0),
                csrrs(0, SSTATUS, T1), addi(A3, A3, 1)).with(T1, 2));
        cases.add(new GuestCase("user mode: WFI", USER_CODE, csrrw(0, SEPC, S2), sret()).user(wfi(),
                addi(A3, A3, 1)));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGuestSeesWhatItSeesNatively(GuestCase guestCase) {
        Runs runs = Runs.of(guestCase);

        for (int register = 1; register < 32; register++) {
            assertThat(runs.register(register)).as("x%d as natively", register)
                    .isEqualTo(runs.reference.hart().register(register));
        }
        assertSameRam(runs.guest.machine.memory(), runs.reference.memory());
        assertThat(runs.trapRegisters()).as("vscause, vstval, vsepc, vsstatus as natively")
                .isEqualTo(runs.nativeTrapRegisters());
        assertThat(runs.vmmDevices.console.text()).as("UART output").isEqualTo(runs.nativeDevices.console.text());
        assertThat(meaningful(runs.vmmDevices.writes())).as("device writes")
                .isEqualTo(meaningful(runs.nativeDevices.writes()));
    }

    /**
     * A device's write sees only the low {@code size} bytes of the value as meaningful ({@code MmioDevice.write}):
     * the native hart hands a narrow store's value as a word, the VMM as the whole register.
     */
    private static List<RecordingMmioDevice.Access> meaningful(List<RecordingMmioDevice.Access> writes) {
        return writes.stream().map(write -> new RecordingMmioDevice.Access(write.offset(), write.size(),
                write.size() == 8 ? write.value() : write.value() & ((1L << 8 * write.size()) - 1))).toList();
    }

    /** C.LW rd', offset(rs1'): registers x8 to x15, offset a multiple of 4 below 128. */
    private static int cLw(int rd, int rs1, int offset) {
        return 0x4000 | ((offset >> 3) & 7) << 10 | (rs1 - 8) << 7 | ((offset >> 2) & 1) << 6
                | ((offset >> 6) & 1) << 5 | (rd - 8) << 2;
    }

    private static void assertSameRam(GuestMemory actual, GuestMemory expected) {
        for (long address = expected.range().base(); address < expected.range().end(); address += 8) {
            if (actual.read64(address) != expected.read64(address)) {
                assertThat(Long.toHexString(actual.read64(address))).as("guest RAM at 0x%x as natively", address)
                        .isEqualTo(Long.toHexString(expected.read64(address)));
            }
        }
    }

    /** One case run twice: natively and under hwassist, each board with its own devices. */
    private static final class Runs {
        final GuestHarness guest = new GuestHarness();
        final GuestDevices vmmDevices = new GuestDevices();
        final GuestDevices nativeDevices = new GuestDevices();
        NativeGuest reference;
        SbiCall call;

        static Runs of(GuestCase guestCase) {
            Runs runs = new Runs();
            GuestHarness guest = runs.guest;
            GuestPageLayout.writeTo(guest.machine.memory());
            List<Integer> code = new ArrayList<>(List.of(csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sfenceVma(0, 0)));
            for (int instruction : guestCase.body) {
                code.add(instruction);
            }
            code.add(ecall());
            guest.load(CODE, code.stream().mapToInt(Integer::intValue).toArray());
            guestCase.halfwords.forEach((address, halfword) -> guest.machine.memory().write16(address, halfword));
            int[] user = Arrays.copyOf(guestCase.user, guestCase.user.length + 1);
            user[user.length - 1] = ecall();
            guest.load(CODE + 0x3000, user);
            Map<Integer, Long> registers = new LinkedHashMap<>();
            registers.put(T0, SATP_SV39);
            registers.put(S2, guestCase.address);
            registers.put(A4, VALUE);
            registers.putAll(guestCase.registers);
            runs.vmmDevices.mapOn(guest.machine);
            runs.reference = NativeGuest.run(guest.machine.memory(), registers, runs.nativeDevices::mapOn);
            guest.start();
            registers.forEach(guest.hart()::setRegister);
            runs.call = guest.runToSbiCall();
            return runs;
        }

        /** A register under hwassist; a0 and a1 as the guest made its SBI call (the firmware answered in them). */
        long register(int index) {
            return index == A0 ? call.a0() : index == A1 ? call.a1() : guest.hart().register(index);
        }

        List<String> trapRegisters() {
            return trapRegisters(guest.hart(), CsrAddress.VSCAUSE, CsrAddress.VSTVAL, CsrAddress.VSEPC,
                    CsrAddress.VSSTATUS);
        }

        List<String> nativeTrapRegisters() {
            return trapRegisters(reference.hart(), 0x142, 0x143, SEPC, SSTATUS);
        }

        private static List<String> trapRegisters(Hart hart, int cause, int value, int pc, int status) {
            return List.of(Long.toHexString(hart.readCsr(cause)), Long.toHexString(hart.readCsr(value)),
                    Long.toHexString(hart.readCsr(pc)), Long.toHexString(hart.readCsr(status) & SSTATUS_VISIBLE));
        }
    }

    /** One small guest: its body after the prologue, its user code (if any) at {@link #USER_CODE}, its registers. */
    static final class GuestCase {
        final String name;
        final long address;
        final int[] body;
        int[] user = new int[0];
        final Map<Integer, Long> registers = new LinkedHashMap<>();
        final Map<Long, Integer> halfwords = new LinkedHashMap<>();

        GuestCase(String name, long address, int... body) {
            this.name = name;
            this.address = address;
            this.body = body;
        }

        GuestCase with(int register, long value) {
            registers.put(register, value);
            return this;
        }

        /** Writes a halfword into guest RAM at {@code frame + 2 * index} before both runs. */
        GuestCase poke(long frame, int halfword, int index) {
            halfwords.put(frame + 2L * index, halfword);
            return this;
        }

        GuestCase words(long address, int... instructions) {
            for (int i = 0; i < instructions.length; i++) {
                halfwords.put(address + 4L * i, instructions[i] & 0xffff);
                halfwords.put(address + 4L * i + 2, instructions[i] >>> 16);
            }
            return this;
        }

        GuestCase user(int... instructions) {
            this.user = instructions;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
