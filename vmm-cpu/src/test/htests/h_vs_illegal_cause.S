/* An illegal instruction in VS-mode delegated through hedeleg is taken in VS-mode with vscause = 2, unchanged.
 * (QEMU 7.2 fails this one: it subtracts 1 from causes 2, 6 and 10 when a trap goes to VS, as it must only for
 * the VS interrupts; the spec decides.) */
#include "htest.h"
TEST_BEGIN
    STEP(1)
    li t0, 1 << 2
    csrw medeleg, t0
    csrw hedeleg, t0
    la t0, vs_handler
    csrw vstvec, t0
    ENTER(guest, 1)
guest:
    .word 0                 /* a 16-bit illegal parcel twice */
    j fail
    .align 2
vs_handler:
    STEP(2)
    csrr t0, scause
    EXPECT(t0, 2)
    STEP(3)
    csrr t0, sepc
    la t1, guest
    bne t0, t1, fail
    j pass
TEST_END
