/* Virtual-instruction exceptions (cause 22) from VS-mode: hypervisor CSRs and instructions, WFI under VTW, SRET
 * under VTSR, satp and SFENCE.VMA under VTVM; and from VU-mode: supervisor CSRs. A machine CSR from VS-mode is
 * illegal (cause 2) instead. The M handler counts causes in s1 (22) and s2 (2) and skips the instruction.
 * QEMU 7.2 fails step 2: it does not trap satp accesses under hstatus.VTVM (the spec says it must). */
#include "htest.h"
TEST_BEGIN
    STEP(1)
    li s1, 0
    li s2, 0
    la t0, m_handler
    csrw mtvec, t0
    li t0, HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VTVM
    csrw hstatus, t0
    ENTER(guest, 1)
guest:
    csrr a0, hstatus
    csrw hgatp, zero
    csrr a0, vsstatus
    hfence.vvma
    hfence.gvma
    hlv.w a0, (sp)
    hsv.w a0, (sp)
    wfi
    sret
    csrr a0, satp
    sfence.vma
    csrr a0, mstatus        /* illegal, not virtual */
    li a7, 1
    ecall                   /* to M: check the counts, then continue in VU */
vu:
    csrr a0, sstatus
    li a7, 2
    ecall                   /* from VU: cause 8 */
    j fail

    .align 2
m_handler:
    csrr t0, mcause
    li t1, 22
    beq t0, t1, virtual
    li t1, 2
    beq t0, t1, illegal
    li t1, 10
    beq t0, t1, from_vs
    li t1, 8
    beq t0, t1, from_vu
    j fail
virtual:
    addi s1, s1, 1
    csrr t0, mstatus        /* the trap came from V=1 */
    li t1, MSTATUS_MPV
    and t0, t0, t1
    beqz t0, fail
    j skip
illegal:
    addi s2, s2, 1
skip:
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
from_vs:
    STEP(2)
    EXPECT(s1, 11)
    STEP(3)
    EXPECT(s2, 1)
    STEP(4)
    li s1, 0
    ENTER(vu, 0)
from_vu:
    STEP(5)
    EXPECT(s1, 1)
    j pass
TEST_END
