package io.vmmlab.paravirt;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.paravirt.events.SharedInfoPage;
import io.vmmlab.paravirt.hypercall.Hypercall;
import io.vmmlab.paravirt.paging.Sv39;
import org.junit.jupiter.api.Test;

import static io.vmmlab.paravirt.PvGuestHarness.CODE;
import static io.vmmlab.paravirt.PvGuestHarness.RAM_BASE;
import static io.vmmlab.paravirt.PvGuestHarness.SHARED;
import static io.vmmlab.paravirt.PvGuestHarness.VECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/** Guest user code runs on the user view of its root: it reaches its own half and nothing of the kernel's. */
final class UserViewTest {
    private static final long USER_VA = 0x1000_0000L;
    private static final long USER_CODE = RAM_BASE + 0x30000;
    private static final long KERNEL_DATA = RAM_BASE + 0x20000;
    private static final long FRAME = RAM_BASE + 0x4000;
    private static final long RO = Pte.V | Pte.R | Pte.U | Pte.A;
    private static final int LD_T1_0_T0 = 0x0002_b303;

    private static PvGuestHarness inOwnAddressSpace() {
        PvGuestHarness guest = new PvGuestHarness().booted();
        long root = RAM_BASE + 0x12000;
        long kernelMiddle = RAM_BASE + 0x14000;
        long kernelLeaves = RAM_BASE + 0x13000;
        long userMiddle = RAM_BASE + 0x16000;
        long userLeaves = RAM_BASE + 0x15000;
        for (long[] pin : new long[][] {{kernelLeaves, 0}, {kernelMiddle, 1}, {userLeaves, 0}, {userMiddle, 1},
                {root, 2}}) {
            assertThat(guest.call(Hypercall.PIN_TABLE, pin[0], pin[1]).error()).isZero();
        }
        long[][] updates = {
            {kernelLeaves + 8 * Sv39.index(CODE, 0), Pte.entry(CODE, RO | Pte.X)},
            {kernelLeaves + 8 * Sv39.index(KERNEL_DATA, 0), Pte.entry(KERNEL_DATA, RO)},
            {kernelMiddle + 8 * Sv39.index(CODE, 1), Pte.entry(kernelLeaves, Pte.V)},
            {root + 8 * Sv39.index(CODE, 2), Pte.entry(kernelMiddle, Pte.V)},
            {userLeaves + 8 * Sv39.index(USER_VA, 0), Pte.entry(USER_CODE, RO | Pte.X)},
            {userMiddle + 8 * Sv39.index(USER_VA, 1), Pte.entry(userLeaves, Pte.V)},
            {root + 8 * Sv39.index(USER_VA, 2), Pte.entry(userMiddle, Pte.V)},
        };
        for (long[] update : updates) {
            assertThat(guest.update(update[0], update[1]).error()).isZero();
        }
        assertThat(guest.call(Hypercall.NEW_BASEPTR, root).error()).isZero();
        guest.physical.write32(USER_CODE, LD_T1_0_T0);
        guest.physical.write32(USER_CODE + 4, PvGuestHarness.ECALL);
        guest.hart.flushCaches();
        return guest;
    }

    private static void returnToUser(PvGuestHarness guest, long t0) {
        guest.memory.write64(FRAME, USER_VA);
        guest.memory.write64(FRAME + 8 * 2, 0x1234);
        guest.memory.write64(FRAME + 8 * 5, t0);
        guest.memory.write64(SHARED + SharedInfoPage.SCRATCH, FRAME);
        assertThat(guest.call(Hypercall.IRET, FRAME, 1).error()).isZero();
    }

    @Test
    void userCodeRunsOnItsHalfAndItsEcallIsASystemCallForTheKernel() {
        PvGuestHarness guest = inOwnAddressSpace();
        returnToUser(guest, USER_VA);   // the load reads the user's own code page

        guest.runToExit();

        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).isEqualTo(8);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_EPC)).isEqualTo(USER_VA + 4);
        assertThat(guest.hart.register(6)).isEqualTo(LD_T1_0_T0 | (long) PvGuestHarness.ECALL << 32);
        assertThat(guest.hart.register(2)).as("sp = the trapframe from scratch").isEqualTo(FRAME);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.SCRATCH)).as("the user's sp").isEqualTo(0x1234);
        assertThat(guest.counter("bounce", "ecall-from-u")).isEqualTo(1);
        assertThat(guest.counter("hypercall", "iret")).isEqualTo(1);
    }

    @Test
    void userCodeCannotReachKernelMemoryThatTheKernelViewMaps() {
        PvGuestHarness guest = inOwnAddressSpace();
        returnToUser(guest, KERNEL_DATA);
        long userSatp = guest.hart.readCsr(CsrNumbers.SATP);

        guest.runToExit();

        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_CAUSE)).as("load page fault").isEqualTo(13);
        assertThat(guest.memory.read64(SHARED + SharedInfoPage.TRAP_TVAL)).isEqualTo(KERNEL_DATA);
        assertThat(userSatp).isNotEqualTo(guest.hart.readCsr(CsrNumbers.SATP));
        assertThat(guest.hart.pc()).isEqualTo(VECTOR);
    }
}
