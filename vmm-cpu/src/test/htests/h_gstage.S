/* Guest-page faults from VS-mode through an Sv39x4 G-stage that maps only the gigapage at 0x8000_0000 (identity):
 * a load from an unmapped guest-physical address is cause 21 with mtval = the address, mtval2 = address >> 2,
 * mtinst = 0 or the transformed load, MPV = GVA = 1; a fetch is cause 20; with medeleg a store fault (23) goes to
 * HS with stval, htval, hstatus.SPV/GVA. */
#include "htest.h"
#define HOLE 0x40000000
TEST_BEGIN
    STEP(1)
    la t0, g_root
    li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw hgatp, t0
    hfence.gvma
    csrw vsatp, zero
    la t0, m_handler
    csrw mtvec, t0
    la t0, hs_handler
    csrw stvec, t0
    li s1, 0
    ENTER(guest, 1)
guest:
    li a1, HOLE
    c.lw a0, 4(a1)          /* cause 21 */
    li a7, 1
    li t0, HOLE + 0x100
    jr t0                   /* cause 20 */
    .align 2
guest_store:
    li a1, HOLE
    .option push
    .option norvc
    sd a0, 8(a1)            /* cause 23, delegated to HS */
    .option pop
    j fail

    .align 2
m_handler:
    csrr t0, mcause
    li t1, 21
    beq t0, t1, load_fault
    STEP(6)
    EXPECT(t0, 20)
    STEP(7)
    csrr t0, mtval
    EXPECT(t0, HOLE + 0x100)
    csrr t0, mtval2
    EXPECT(t0, (HOLE + 0x100) >> 2)
    STEP(8)
    csrr t0, mtinst
    EXPECT(t0, 0)
    li t0, 1 << 23
    csrw medeleg, t0
    la t0, guest_store
    csrw mepc, t0
    mret
load_fault:
    STEP(2)
    csrr t0, mtval
    EXPECT(t0, HOLE + 4)
    STEP(3)
    csrr t0, mtval2
    EXPECT(t0, (HOLE + 4) >> 2)
    STEP(4)
    csrr t0, mstatus
    li t1, MSTATUS_MPV | MSTATUS_GVA
    and t0, t0, t1
    EXPECT(t0, MSTATUS_MPV | MSTATUS_GVA)
    STEP(5)
    csrr t0, mtinst         /* zero, or c.lw transformed: lw a0, 0(x0) with bit 1 clear */
    beqz t0, 1f
    EXPECT(t0, 0x00002501)
1:  csrr t0, mepc
    addi t0, t0, 2
    csrw mepc, t0
    mret

    .align 2
hs_handler:
    STEP(9)
    csrr t0, scause
    EXPECT(t0, 23)
    STEP(10)
    csrr t0, stval
    EXPECT(t0, HOLE + 8)
    csrr t0, htval
    EXPECT(t0, (HOLE + 8) >> 2)
    STEP(11)
    csrr t0, hstatus
    li t1, HSTATUS_SPV | HSTATUS_GVA | HSTATUS_SPVP
    and t0, t0, t1
    EXPECT(t0, HSTATUS_SPV | HSTATUS_GVA | HSTATUS_SPVP)
    STEP(12)
    csrr t0, htinst         /* zero, or sd a0, 0(x0) transformed */
    beqz t0, pass
    EXPECT(t0, 0x00a03023)
    j pass
TEST_END

    .data
    .align 14
g_root:
    .fill 2048, 8, 0
