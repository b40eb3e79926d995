/*
 * PV port, assembly half: boot entry and the trap vector. No privileged instruction: the VMM does
 * what the hardware would do on a trap (PV-ABI.md, "Trap and event delivery"): it puts epc, cause
 * and tval in the shared page, swaps sp with the shared page's scratch word (the virtual
 * `csrrw sp, sscratch, sp`), masks events and jumps here. scratch holds the running process's
 * trapframe while user code runs and 0 while the kernel runs, so sp tells the two apart. The way
 * back is the IRET hypercall, which reloads pc and x1..x31 from a frame laid out as struct trapframe.
 *
 * Boot (the VMM's boot address space: RAM mapped one to one): a0 = hart id, a1 = device tree.
 */
#include "pv.h"

#define TF_KSP 256
#define KFRAME 256

    .section .text.start, "ax", @progbits
    .globl _start
_start:
    la      t0, boot_lottery
    li      t1, 1
    amoswap.w t1, t1, (t0)
    bnez    t1, park

    la      sp, boot_stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    kernel_main             /* kernel_main(hartid, fdt) does not return */
park:
    li      a7, PV_BASE + PV_BLOCK
    ecall
    j       park

    .text
    .balign 4
    .globl pv_trap_vector
pv_trap_vector:
    beqz    sp, pv_from_kernel

    /* From user mode: sp = trapframe, scratch = user sp. */
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    la      t0, pv_shared
    ld      t1, PV_SHARED_SCRATCH(t0)
    sd      t1, 16(sp)
    sd      zero, PV_SHARED_SCRATCH(t0)
    ld      t1, PV_SHARED_TRAP_EPC(t0)
    sd      t1, 0(sp)
    mv      a0, sp
    ld      sp, TF_KSP(a0)
    call    pv_user_trap            /* does not return */
1:  j       1b

pv_from_kernel:
    /* An event while the kernel ran with events unmasked: scratch = the kernel's sp. Save every
     * register in a trapframe-shaped frame on its stack, so IRET can restore them all. */
    la      sp, pv_shared
    ld      sp, PV_SHARED_SCRATCH(sp)
    addi    sp, sp, -KFRAME
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    addi    t0, sp, KFRAME
    sd      t0, 16(sp)
    la      t0, pv_shared
    sd      zero, PV_SHARED_SCRATCH(t0)
    ld      t1, PV_SHARED_TRAP_EPC(t0)
    sd      t1, 0(sp)
    call    pv_kernel_trap
    mv      a0, sp
    li      a1, PV_IRET_KERNEL
    li      a7, PV_BASE + PV_IRET
    ecall                           /* restores pc and x1..x31 from the frame; does not return */
1:  j       1b

    .data
    .balign 4
boot_lottery:
    .word   0

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  16384
    .globl boot_stack_top
boot_stack_top:
