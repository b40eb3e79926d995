package io.vmmlab.fullvirt;

import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.testing.Assembler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vmmlab.cpu.testing.Assembler.A3;
import static io.vmmlab.cpu.testing.Assembler.A4;
import static io.vmmlab.cpu.testing.Assembler.RA;
import static io.vmmlab.cpu.testing.Assembler.S1;
import static io.vmmlab.cpu.testing.Assembler.S2;
import static io.vmmlab.cpu.testing.Assembler.T0;
import static io.vmmlab.cpu.testing.Assembler.T1;
import static io.vmmlab.cpu.testing.Assembler.T2;
import static io.vmmlab.cpu.testing.Assembler.amo;
import static io.vmmlab.cpu.testing.Assembler.csrrs;
import static io.vmmlab.cpu.testing.Assembler.csrrw;
import static io.vmmlab.cpu.testing.Assembler.ebreak;
import static io.vmmlab.cpu.testing.Assembler.ecall;
import static io.vmmlab.cpu.testing.Assembler.jalr;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.mret;
import static io.vmmlab.cpu.testing.Assembler.sd;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static io.vmmlab.cpu.testing.Assembler.sret;
import static io.vmmlab.fullvirt.GuestHarness.CODE;
import static io.vmmlab.fullvirt.GuestHarness.DATA;
import static io.vmmlab.fullvirt.GuestHarness.ROOT;

/**
 * A red team's table of small guest kernels, each run natively ({@link NativeGuest}) and under both techniques from
 * the same RAM and registers: the guest must end with the same registers and the same RAM (A and D bits in its page
 * tables included), its trap handler having seen the same scause, stval and sepc. Each case is a few instructions
 * after a common prologue (stvec, an Sv39 satp, SFENCE.VMA) over one layout of guest page tables with unusual
 * entries: no A or D yet, read-only, execute-only, user pages, a leaf beyond RAM, a misaligned superpage, reserved
 * bits, W without R, the Svnapot N bit.
 */
final class NativeEquivalenceTest {
    private static final int SSTATUS = 0x100;
    private static final int STVEC = 0x105;
    private static final int SEPC = 0x141;
    private static final int SATP = 0x180;
    private static final long SUM = 1L << 18;
    private static final long MXR = 1L << 19;
    private static final long SPP = 1L << 8;
    private static final long LEVEL1 = ROOT + 0x1000;
    private static final long LEVEL0 = ROOT + 0x2000;
    /** The 4 KiB pages of the layout, at 0x4000_0000 + 0x1000 * index. */
    private static final long KERNEL_RW_FRESH = 0x4000_0000L;  // kernel RW, A and D clear
    private static final long KERNEL_READ_ONLY = 0x4000_1000L;
    private static final long USER_RW = 0x4000_2000L;
    private static final long USER_CODE = 0x4000_3000L;         // user RX: the user-mode cases' code
    private static final long KERNEL_EXECUTE_ONLY = 0x4000_4000L;
    private static final long KERNEL_RW = 0x4000_5000L;         // kernel RW, A and D set, not executable
    private static final long BEYOND_RAM = 0x4000_6000L;
    private static final long NAPOT_BIT = 0x4000_7000L;
    private static final long MISALIGNED_SUPERPAGE = 0x4020_0000L;
    private static final long RESERVED_BIT = 0x4040_0000L;
    private static final long WRITE_WITHOUT_READ = 0x4060_0000L;
    private static final long VALUE = 0x1122_3344_5566_7788L;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (FullVirtTechnique technique : FullVirtTechnique.values()) {
            for (GuestCase each : guestCases()) {
                all.add(Arguments.of(technique, each));
            }
        }
        return all.stream();
    }

    private static List<GuestCase> guestCases() {
        List<GuestCase> cases = new ArrayList<>();
        cases.add(new GuestCase("a load sets A", KERNEL_RW_FRESH, ld(A3, S2, 8)));
        cases.add(new GuestCase("a store sets A and D", KERNEL_RW_FRESH, sd(A4, S2, 8), ld(A3, S2, 8)));
        cases.add(new GuestCase("a store to a read-only page", KERNEL_READ_ONLY, ld(A3, S2, 0), sd(A4, S2, 0)));
        cases.add(new GuestCase("an AMO to a read-only page", KERNEL_READ_ONLY, amo(0, true, A3, S2, A4)));
        cases.add(new GuestCase("a load from an execute-only page", KERNEL_EXECUTE_ONLY, ld(A3, S2, 0)));
        cases.add(new GuestCase("MXR: a load from an execute-only page", KERNEL_EXECUTE_ONLY,
                csrrs(0, SSTATUS, T1), ld(A3, S2, 0)).with(T1, MXR));
        cases.add(new GuestCase("a kernel load from a user page", USER_RW, ld(A3, S2, 0)));
        cases.add(new GuestCase("SUM: a kernel load and store on a user page", USER_RW,
                csrrs(0, SSTATUS, T1), sd(A4, S2, 16), ld(A3, S2, 16)).with(T1, SUM));
        cases.add(new GuestCase("SUM: a kernel fetch from a user page", USER_CODE,
                csrrs(0, SSTATUS, T1), jalr(RA, S2, 0)).with(T1, SUM));
        cases.add(new GuestCase("a fetch from a page without X", KERNEL_RW, jalr(RA, S2, 0)));
        cases.add(new GuestCase("a load beyond RAM", BEYOND_RAM, ld(A3, S2, 0)));
        cases.add(new GuestCase("a store beyond RAM", BEYOND_RAM, sd(A4, S2, 0)));
        cases.add(new GuestCase("a misaligned superpage", MISALIGNED_SUPERPAGE, ld(A3, S2, 0)));
        cases.add(new GuestCase("a reserved PTE bit", RESERVED_BIT, ld(A3, S2, 0)));
        cases.add(new GuestCase("W without R", WRITE_WITHOUT_READ, ld(A3, S2, 0)));
        cases.add(new GuestCase("the N bit without Svnapot", NAPOT_BIT, ld(A3, S2, 0)));
        cases.add(new GuestCase("a non-canonical address", 0x40_0000_0000L, ld(A3, S2, 0)));
        cases.add(new GuestCase("a misaligned load across into a page beyond RAM", KERNEL_RW + 0xffc,
                ld(A3, S2, 0)));
        cases.add(new GuestCase("a misaligned store across into a page with the N bit", BEYOND_RAM + 0xffc,
                sd(A4, S2, 0)).with(S2, NAPOT_BIT - 4));
        cases.add(new GuestCase("ebreak", 0, ebreak()));
        cases.add(new GuestCase("c.ebreak", 0, 0x0001_9002));
        cases.add(new GuestCase("an all-zero instruction", 0, 0));
        cases.add(new GuestCase("mret", 0, mret()));
        cases.add(new GuestCase("a machine CSR", 0, csrrs(A3, 0x300, 0)));
        cases.add(new GuestCase("a write to cycle", 0, csrrw(0, 0xc00, A4)));
        cases.add(new GuestCase("an unknown supervisor CSR", 0, csrrs(A3, 0x1c0, 0)));
        cases.add(new GuestCase("a misaligned AMO", KERNEL_RW + 4, amo(1, true, A3, S2, A4)));
        cases.add(new GuestCase("a PTE rewritten through the direct map, then fenced", KERNEL_RW_FRESH,
                ld(A3, S2, 8), sd(T1, A4 + 1, 0), sfenceVma(0, 0), ld(A3, S2, 8))
                .with(A4 + 1, LEVEL0).with(T1, pte(DATA + 0x1000, 0xc7)));
        cases.add(new GuestCase("A cleared through the direct map, then fenced", KERNEL_RW_FRESH,
                ld(A3, S2, 8), sd(T1, A4 + 1, 0), sfenceVma(S2, 0), ld(A3, S2, 8))
                .with(A4 + 1, LEVEL0).with(T1, pte(DATA, 0x07)));
        cases.add(new GuestCase("sfence.vma with an ASID and an address", KERNEL_RW, ld(A3, S2, 0),
                sfenceVma(S2, T1), ld(A3, S2, 8)).with(T1, 5));
        cases.add(new GuestCase("Sv48 over the same root: another depth", KERNEL_RW, ld(A3, S2, 0),
                csrrw(0, SATP, T1), ld(A3, S2, 8)).with(T1, 9L << 60 | ROOT >>> 12));
        cases.add(new GuestCase("Sv57 over the same root: five levels", KERNEL_RW, ld(A3, S2, 0),
                csrrw(0, SATP, T1), ld(A3, S2, 8), sd(A4, S2, 16), ld(A4 + 1, A4 + 2, 0))
                .with(T1, 10L << 60 | ROOT >>> 12).with(A4 + 2, 0xff00_0000_0000_0000L));
        cases.add(new GuestCase("Sv48: an address canonical only in Sv57", KERNEL_RW, csrrw(0, SATP, T1),
                ld(A3, S2, 8), ld(A4 + 1, A4 + 2, 0))
                .with(T1, 9L << 60 | ROOT >>> 12).with(A4 + 2, 0x0100_0000_0000_0000L));
        cases.add(new GuestCase("user mode: a load from a kernel page", USER_CODE, csrrw(0, SEPC, S2), sret())
                .user(ld(A3, A4 + 1, 0), ecall()).with(A4 + 1, KERNEL_RW));
        cases.add(new GuestCase("user mode: sret", USER_CODE, csrrw(0, SEPC, S2), sret()).user(sret()));
        cases.add(new GuestCase("user mode: a store to its own page, then a read-only one", USER_CODE,
                csrrw(0, SEPC, S2), sret()).user(sd(A4, A4 + 1, 0), sd(A4, A4 + 1, -0x1000))
                .with(A4 + 1, USER_RW + 0x1000));
        cases.add(new GuestCase("user mode with SUM: a load from a kernel page", USER_CODE,
                csrrs(0, SSTATUS, T1), csrrw(0, SEPC, S2), sret()).user(ld(A3, A4 + 1, 0))
                .with(T1, SUM).with(A4 + 1, KERNEL_RW));
        cases.add(new GuestCase("SRET to S-mode with SPP set", KERNEL_RW, csrrs(0, SSTATUS, T1),
                csrrw(0, SEPC, A4 + 1), sret(), ld(A3, S2, 0), ld(A3, S2, 8)).with(T1, SPP)
                .with(A4 + 1, CODE + 4 * 7));
        int addi = Assembler.addi(A3, A3, 1);
        cases.add(new GuestCase("a jump to an instruction whose second half is in a page without X",
                KERNEL_EXECUTE_ONLY + 0xffe, jalr(RA, S2, 0))
                .poke(DATA + 0x3ffe, addi & 0xffff).poke(DATA + 0x4000, addi >>> 16));
        cases.add(new GuestCase("a jump to an instruction whose second half is in an unmapped page",
                0x4000_8ffeL, jalr(RA, S2, 0)).poke(DATA + 0x6ffe, addi & 0xffff));
        long body = CODE + 12; // after the prologue's three instructions
        cases.add(new GuestCase("auipc, jal and jalr links", 0, Assembler.auipc(A3, 0x12345),
                Assembler.jal(RA, 8), 0, jalr(T1, RA, 8), Assembler.addi(A3, A3, 1), Assembler.addi(A3, A3, 2)));
        cases.add(new GuestCase("jalr with rd = rs1", 0, jalr(RA, RA, 0)).with(RA, body + 8));
        int cJalr = 0x9002 | RA << 7; // c.jalr ra
        cases.add(new GuestCase("c.jalr through ra", 0, Assembler.compressedPair(cJalr, Assembler.cNop()),
                Assembler.addi(A3, A3, 1)).with(RA, body + 4));
        cases.add(new GuestCase("code rewritten ahead, then FENCE.I", 0, Assembler.sw(T1, A4 + 1, 0),
                Assembler.fenceI(), Assembler.addi(A3, A3, 1)).with(A4 + 1, body + 8)
                .with(T1, Assembler.addi(A3, A3, 100)));
        cases.add(new GuestCase("code rewritten in another page, called after FENCE.I", 0,
                Assembler.sw(T1, A4 + 1, 0), Assembler.fenceI(), jalr(RA, A4 + 1, 0))
                .with(A4 + 1, CODE + 0x2000).with(T1, Assembler.addi(A3, A3, 77)));
        cases.add(new GuestCase("falling off the end of an execute-only page into one without X",
                KERNEL_EXECUTE_ONLY + 0xff8, jalr(RA, S2, 0))
                .poke(DATA + 0x3ff8, Assembler.addi(A3, A3, 1) & 0xffff)
                .poke(DATA + 0x3ffa, Assembler.addi(A3, A3, 1) >>> 16)
                .poke(DATA + 0x3ffc, Assembler.addi(A3, A3, 1) & 0xffff)
                .poke(DATA + 0x3ffe, Assembler.addi(A3, A3, 1) >>> 16));
        long slot = ROOT + 100 * 8; // an unused entry of the root table: every store to it is traced
        int[][] amos = {{0x00, 0}, {0x01, 1}, {0x04, 0}, {0x0c, 1}, {0x08, 0}, {0x10, 0}, {0x14, 1}, {0x18, 0},
            {0x1c, 1}};
        for (int[] op : amos) {
            cases.add(new GuestCase(String.format("AMO funct5 0x%x (%s) on a traced page table", op[0],
                    op[1] == 1 ? "d" : "w"), slot, sd(A4 + 1, S2, 0), amo(op[0], op[1] == 1, A3, S2, A4),
                    ld(A4 + 2, S2, 0)).with(A4 + 1, 0xf000_0000_8000_0005L));
        }
        cases.add(new GuestCase("LR/SC on a traced page table", slot, amo(0x02, true, A3, S2, 0),
                amo(0x03, true, A4 + 1, S2, A4), amo(0x03, true, A4 + 2, S2, A4), ld(A4 + 3, S2, 0)));
        cases.add(new GuestCase("byte, halfword and misaligned word stores on a traced page table", slot,
                Assembler.sb(A4, S2, 1), Assembler.sh(A4, S2, 2), Assembler.sw(A4, S2, 5), ld(A3, S2, 0),
                ld(A4 + 1, S2, 8)));
        long tableAndCode = CODE + 0x2000; // a level-0 table in its low half, code in its high half
        cases.add(new GuestCase("code in a page that is also a page table writes a PTE there", tableAndCode + 0x800,
                jalr(RA, S2, 0))
                .with(T1, 0x4080_0000L).with(T2, tableAndCode).with(A4 + 2, 0x4080_1000L)
                .with(A4, pte(DATA + 0x1000, 0xc7))
                .poke(tableAndCode, (int) pte(DATA, 0xc7) & 0xffff)
                .poke(tableAndCode + 2, (int) (pte(DATA, 0xc7) >>> 16) & 0xffff)
                .words(tableAndCode + 0x800, ld(A3, T1, 8), sd(A4, T2, 8), sfenceVma(0, 0), ld(A4 + 1, A4 + 2, 8),
                        ecall()));
        return cases;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void theGuestSeesWhatItSeesNatively(FullVirtTechnique technique, GuestCase guestCase) {
        GuestHarness guest = new GuestHarness(technique);
        layOut(guest);
        List<Integer> code = new ArrayList<>(List.of(csrrw(0, STVEC, S1), csrrw(0, SATP, T0), sfenceVma(0, 0)));
        for (int instruction : guestCase.body) {
            code.add(instruction);
        }
        code.add(ecall());
        guest.load(CODE, code.stream().mapToInt(Integer::intValue).toArray());
        guestCase.halfwords.forEach((address, halfword) -> guest.machine.memory().write16(address, halfword));
        if (guestCase.user.length > 0) {
            int[] user = new int[guestCase.user.length + 1];
            System.arraycopy(guestCase.user, 0, user, 0, guestCase.user.length);
            user[user.length - 1] = ecall();
            guest.load(CODE + 0x3000, user);
        }
        Map<Integer, Long> registers = new LinkedHashMap<>();
        registers.put(T0, GuestHarness.guestSatp());
        registers.put(S2, guestCase.address);
        registers.put(A4, VALUE);
        registers.putAll(guestCase.registers);

        HostileGuestTest.runAndCompareWithNative(guest, registers);
    }

    private static void layOut(GuestHarness guest) {
        guest.mapGigapage(0x8000_0000L, 0x8000_0000L, GuestHarness.PTE_KERNEL_RWX);
        write(guest, ROOT, pte(ROOT, Pte.V)); // Sv48 over the same root: its first entry is the Sv39 root again
        write(guest, ROOT + 8, pte(LEVEL1, Pte.V));
        write(guest, LEVEL1, pte(LEVEL0, Pte.V));
        write(guest, LEVEL1 + 8, pte(DATA, 0xc7));                  // a 2 MiB leaf at a 4 KiB-aligned PPN
        write(guest, LEVEL1 + 16, pte(DATA, 0xc7) | 1L << 54);      // a reserved bit
        write(guest, LEVEL1 + 24, pte(DATA, 0xc5));                 // W without R
        write(guest, LEVEL0, pte(DATA, 0x07));                      // V R W, A and D clear
        write(guest, LEVEL0 + 8, pte(DATA + 0x1000, 0x43));         // V R A
        write(guest, LEVEL0 + 16, pte(DATA + 0x2000, 0xd7));        // V R W U A D
        write(guest, LEVEL0 + 24, pte(CODE + 0x3000, 0x5b));        // V R X U A
        write(guest, LEVEL0 + 32, pte(DATA + 0x3000, 0x49));        // V X A
        write(guest, LEVEL0 + 40, pte(DATA + 0x4000, 0xc7));        // V R W A D
        write(guest, LEVEL0 + 48, pte(0x9000_0000L, 0xc7));         // beyond RAM
        write(guest, LEVEL0 + 56, pte(DATA + 0x5000, 0xc7) | 1L << 63);  // N
        write(guest, LEVEL0 + 64, pte(DATA + 0x6000, 0x49));        // V X A: 0x4000_8000, before an unmapped page
        write(guest, LEVEL1 + 32, pte(CODE + 0x2000, Pte.V));       // 0x4080_0000: a table that is code too
        for (int i = 0; i < 6; i++) {
            guest.machine.memory().write64(DATA + 0x1000L * i + 8, 0x0101_0101_0101_0101L * (i + 1));
        }
    }

    private static long pte(long address, long flags) {
        return (address >>> 12) << 10 | flags;
    }

    private static void write(GuestHarness guest, long address, long value) {
        guest.machine.memory().write64(address, value);
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

        GuestCase words(long address, int... instructions) {
            for (int i = 0; i < instructions.length; i++) {
                poke(address + 4L * i, instructions[i] & 0xffff);
                poke(address + 4L * i + 2, instructions[i] >>> 16);
            }
            return this;
        }

        GuestCase poke(long address, int halfword) {
            halfwords.put(address, halfword);
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
