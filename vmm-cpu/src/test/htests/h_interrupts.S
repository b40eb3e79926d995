/* QEMU 7.2 fails step 1 (its mideleg VS bits are writable and reset to zero) and, with them set, step 5 (its vsip
 * does not show the delegated VSTIP). */
/* Interrupt routing with hideleg and hvip: a delegated VSTI is taken in VS-mode as a supervisor timer interrupt
 * (cause 5); with vsstatus.SIE clear it waits; an undelegated VSSI goes to HS-mode (cause 2) even while the guest
 * has SIE clear, with hstatus.SPV set. */
#include "htest.h"
TEST_BEGIN
    STEP(1)
    csrr t0, mideleg        /* the VS bits read one (QEMU 7.2 needs them written) */
    li t1, (1 << 2) | (1 << 6) | (1 << 10)
    and t0, t0, t1
    EXPECT(t0, (1 << 2) | (1 << 6) | (1 << 10))
    li t0, 1 << 6
    csrw hideleg, t0
    li t0, (1 << 2) | (1 << 6)
    csrs hie, t0
    la t0, vs_handler
    csrw vstvec, t0
    la t0, hs_handler
    csrw stvec, t0
    li t0, 1 << 6
    csrs hvip, t0           /* VSTIP pending before the guest runs */
    la t0, m_handler; csrw mtvec, t0
    ENTER(guest, 1)
guest:
    STEP(2)
    li t0, 1 << 5
    csrs sie, t0            /* vsie.STIE */
    nop
    nop
    STEP(3)
    csrsi sstatus, SSTATUS_SIE
    nop
    j fail                  /* the interrupt must have been taken */

    .align 2
vs_handler:
    STEP(4)
    csrr t0, scause
    EXPECT(t0, INTERRUPT | 5)
    STEP(5)
    csrr t0, sip
    li t1, 1 << 5
    and t0, t0, t1
    EXPECT(t0, 1 << 5)
    li a7, 1
    ecall                   /* to M: raise VSSIP (not delegated) */
after_vssip:
    j fail

    .align 2
hs_handler:
    STEP(7)
    csrr t0, scause
    EXPECT(t0, INTERRUPT | 2)
    STEP(8)
    csrr t0, hstatus
    andi t0, t0, HSTATUS_SPV
    EXPECT(t0, HSTATUS_SPV)
    j pass

    .align 2
m_handler:
    STEP(6)
    csrr t0, mcause
    EXPECT(t0, 10)
    li t0, 1 << 6
    csrc hvip, t0
    li t0, 1 << 2
    csrs hvip, t0
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret                    /* back into VS with SIE clear: VSSI still goes to HS */
TEST_END
