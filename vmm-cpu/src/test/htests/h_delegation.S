/* hedeleg: a VS breakpoint and a VU ecall are taken in VS-mode; an ecall from VS (cause 10) cannot be
 * delegated to VS and reaches M with MPV = 1 and MPP = S. */
#include "htest.h"
TEST_BEGIN
    STEP(1)
    li t0, (1 << 3) | (1 << 8)
    csrw medeleg, t0
    csrw hedeleg, t0
    li t0, -1
    csrw hedeleg, t0
    csrr t1, hedeleg
    li t2, (1 << 10) | (1 << 11) | (0xf << 20)
    and t1, t1, t2
    EXPECT(t1, 0)
    li t0, (1 << 3) | (1 << 8)
    csrw hedeleg, t0
    la t0, vs_handler
    csrw vstvec, t0
    la t0, m_from_vs
    csrw mtvec, t0
    STEP(2)
    ENTER(guest, 1)
guest:
    ebreak                  /* taken by vs_handler, which skips it */
    nop
    STEP(4)
    la t0, user
    csrw sepc, t0           /* vsepc */
    li t0, SSTATUS_SPP
    csrc sstatus, t0        /* return to VU */
    sret
user:
    ecall                   /* from VU: delegated to VS */
    j fail
    .align 2
vs_handler:
    csrr t0, scause
    li t1, 3
    beq t0, t1, vs_breakpoint
    STEP(5)
    EXPECT(t0, 8)
    csrr t0, sstatus
    andi t0, t0, SSTATUS_SPP
    EXPECT(t0, 0)
    STEP(6)
    ecall                   /* from VS: cause 10, to M */
    j fail
vs_breakpoint:
    STEP(3)
    csrr t0, sstatus
    andi t0, t0, SSTATUS_SPP
    EXPECT(t0, SSTATUS_SPP)
    csrr t0, sepc
    addi t0, t0, 2          /* c.ebreak */
    csrw sepc, t0
    sret
    .align 2
m_from_vs:
    csrr t0, mcause
    EXPECT(t0, 10)
    STEP(7)
    csrr t0, mstatus
    li t1, MSTATUS_MPV | MSTATUS_MPP
    and t0, t0, t1
    EXPECT(t0, MSTATUS_MPV | MSTATUS_MPP_S)
    STEP(8)
    csrr t0, vscause
    EXPECT(t0, 8)
    csrr t0, scause
    EXPECT(t0, 0)           /* HS never saw a trap */
    j pass
TEST_END
