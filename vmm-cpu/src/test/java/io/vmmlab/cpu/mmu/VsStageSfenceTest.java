package io.vmmlab.cpu.mmu;

import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.Pte;
import io.vmmlab.cpu.testing.HypervisorBoard;
import org.junit.jupiter.api.Test;

import static io.vmmlab.api.memory.Pte.A;
import static io.vmmlab.api.memory.Pte.D;
import static io.vmmlab.api.memory.Pte.R;
import static io.vmmlab.api.memory.Pte.U;
import static io.vmmlab.api.memory.Pte.V;
import static io.vmmlab.api.memory.Pte.W;
import static io.vmmlab.api.memory.Pte.X;
import static io.vmmlab.cpu.csr.CsrAddress.HGATP;
import static io.vmmlab.cpu.csr.CsrAddress.MSTATUS;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPP_SHIFT;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPRV;
import static io.vmmlab.cpu.csr.CsrAddress.STATUS_MPV;
import static io.vmmlab.cpu.csr.CsrAddress.VSATP;
import static io.vmmlab.cpu.testing.Assembler.A0;
import static io.vmmlab.cpu.testing.Assembler.A1;
import static io.vmmlab.cpu.testing.Assembler.A2;
import static io.vmmlab.cpu.testing.Assembler.ld;
import static io.vmmlab.cpu.testing.Assembler.sfenceVma;
import static io.vmmlab.cpu.testing.HypervisorBoard.BASE;
import static io.vmmlab.cpu.testing.HypervisorBoard.VS_LEVEL1;
import static io.vmmlab.cpu.testing.HypervisorBoard.VS_ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With V=1 an SFENCE.VMA with an address inside a VS-stage superpage reaches the superpage's other pages (the
 * G-stage here is a superpage too, which does not matter: only HFENCE.GVMA orders G-stage changes).
 */
final class VsStageSfenceTest {
    @Test
    void anAddressFenceInAVsStageSuperpageReachesItsOtherPages() {
        HypervisorBoard board = new HypervisorBoard();
        GuestMemory memory = board.board().memory();
        long gstageRoot = BASE + 0x10_0000;
        memory.write64(gstageRoot + 2 * 8, Pte.entry(BASE, U | X | W | R | V | A | D)); // 1 GiB, identity
        memory.write64(VS_ROOT, Pte.entry(VS_LEVEL1, V));
        memory.write64(VS_LEVEL1 + 0x83 * 8, Pte.entry(BASE + 0x20_0000, R | W | V | A | D)); // 2 MiB
        long va = 0x1060_0000L;
        memory.write64(BASE + 0x20_1000, 111);
        memory.write64(BASE + 0x1800, 222);
        board.setCsr(HGATP, 8L << 60 | gstageRoot >>> 12);
        board.setCsr(VSATP, 8L << 60 | VS_ROOT >>> 12);
        board.setCsr(MSTATUS, STATUS_MPRV | STATUS_MPV | 1L << STATUS_MPP_SHIFT); // data as VS-mode
        board.board().load(BASE + 0x100, sfenceVma(A2, 0));
        board.hart().setRegister(A1, va + 0x1000);
        board.run(PrivilegeMode.MACHINE, false, ld(A0, A1, 0));
        assertThat(board.hart().register(A0)).isEqualTo(111);
        memory.write64(VS_LEVEL1 + 0x83 * 8, Pte.entry(BASE, R | W | V | A | D));

        board.hart().setRegister(A2, va); // another page of the superpage
        board.hart().setPc(BASE + 0x100);
        board.hart().run(1);
        board.hart().setRegister(A1, va + 0x1800);
        board.hart().setPc(BASE);
        board.hart().run(1);

        assertThat(board.hart().register(A0)).as("through the new leaf").isEqualTo(222);
    }
}
