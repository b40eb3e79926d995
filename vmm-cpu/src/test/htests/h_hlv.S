/* HLV, HLVX and HSV from M-mode (V=0) through an identity Sv39x4 G-stage gigapage and a VS-stage Sv39 table: VA 0 maps a supervisor
 * execute-only gigapage onto 0x8000_0000, VA 0x4000_0000 a user read-write gigapage onto the same memory.
 * hstatus.SPVP selects VS (1) or VU (0) permissions; HLVX needs execute, not read, permission; faults report the
 * guest-virtual address with mstatus.GVA = 1. QEMU 7.2 fails step 2: it raises a load access fault for these
 * M-mode HLVX/HLV accesses. */
#include "htest.h"
#define EXEC_ONLY 0x0
#define USER_RW 0x40000000
#define OFFSET(label) (label - 0x80000000)
TEST_BEGIN
    STEP(1)
    la t0, vs_root
    li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_X | PTE_A | PTE_D
    sd t1, 0(t0)
    li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    sd t1, 8(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw vsatp, t0
    la t0, g_root
    li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw hgatp, t0
    hfence.gvma
    hfence.vvma
    la t0, m_fault
    csrw mtvec, t0

    STEP(2)                 /* HLVX.WU with SPVP = 1 reads an instruction from the execute-only page */
    li t0, HSTATUS_SPVP
    csrs hstatus, t0
    la t1, marker
    li t2, 0x80000000
    sub s0, t1, t2          /* VA of marker in the execute-only mapping */
    hlvx.wu a0, (s0)
    lwu a1, 0(t1)
    bne a0, a1, fail

    STEP(3)                 /* HLV.W on the execute-only page: load page fault */
    li s3, 0
    hlv.w a0, (s0)
    EXPECT(s3, 13)
    STEP(4)
    csrr t0, mtval
    bne t0, s0, fail
    STEP(5)
    EXPECT(s4, MSTATUS_GVA)

    STEP(6)                 /* with vsstatus.MXR the same load reads */
    li t0, SSTATUS_MXR
    csrs vsstatus, t0
    li s3, 0
    hlv.w a0, (s0)
    EXPECT(s3, 0)
    bne a0, a1, fail
    li t0, SSTATUS_MXR
    csrc vsstatus, t0

    STEP(7)                 /* HLVX.WU on the readable, non-executable user page: load page fault */
    li t0, HSTATUS_SPVP
    csrc hstatus, t0
    li t0, USER_RW
    add s1, s0, t0
    li s3, 0
    hlvx.wu a0, (s1)
    EXPECT(s3, 13)

    STEP(8)                 /* HSV.D and HLV.D as VU on the user page */
    la t1, data
    li t2, 0x80000000 - USER_RW
    sub s2, t1, t2
    li a0, 0x123456789
    hsv.d a0, (s2)
    ld a1, 0(t1)
    bne a0, a1, fail
    hlv.d a2, (s2)
    bne a0, a2, fail

    STEP(9)                 /* as VU the supervisor page faults; as VS the user page needs SUM */
    li s3, 0
    hlv.w a0, (s0)
    EXPECT(s3, 13)
    STEP(10)
    li t0, HSTATUS_SPVP
    csrs hstatus, t0
    li s3, 0
    hlv.d a0, (s2)
    EXPECT(s3, 13)
    STEP(11)
    li t0, SSTATUS_SUM
    csrs vsstatus, t0
    li s3, 0
    hlv.d a0, (s2)
    EXPECT(s3, 0)
    li a1, 0x123456789
    bne a0, a1, fail
    j pass

    .align 2
m_fault:                    /* records mcause in s3 and mstatus.GVA in s4, skips the instruction */
    csrr s3, mcause
    csrr s4, mstatus
    li t0, MSTATUS_GVA
    and s4, s4, t0
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

marker:
    .word 0x00b50533        /* add a0, a0, a1: any instruction word */
TEST_END

    .data
    .align 14
g_root:
    .fill 2048, 8, 0
vs_root:
    .fill 512, 8, 0
data:
    .dword 0
