/*
 * Native port, assembly half: boot entry, the trap vector and the return to user mode.
 *
 * Boot (OpenSBI or the builtin SBI, S-mode, MMU off): a0 = hart id, a1 = device tree.
 * Trap vector: sscratch holds the running process's trapframe while user code runs and 0 while the
 * kernel runs, so one csrrw tells the two apart. The trapframe layout is struct trapframe in
 * arch/arch.h: epc at 0, xi at 8*i, the kernel stack pointer at 256.
 */
#define TF_KSP 256
#define KFRAME 144

    .section .text.start, "ax", @progbits
    .globl _start
_start:
    /* Only one hart runs the kernel: the first to arrive. Others park for good. */
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
    wfi
    j       park

    .text
    .balign 4
    .globl native_trap_vector
native_trap_vector:
    csrrw   sp, sscratch, sp
    beqz    sp, from_kernel

    /* From user mode: sp = trapframe, sscratch = user sp. */
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
    csrr    t0, sscratch
    sd      t0, 16(sp)
    csrw    sscratch, zero
    csrr    t0, sepc
    sd      t0, 0(sp)
    mv      a0, sp
    ld      sp, TF_KSP(a0)
    call    native_user_trap        /* does not return */
1:  j       1b

from_kernel:
    /* From the kernel (interrupts were enabled on purpose): restore sp, keep sscratch 0. */
    csrrw   sp, sscratch, sp
    addi    sp, sp, -KFRAME
    sd      ra, 0(sp)
    sd      t0, 8(sp)
    sd      t1, 16(sp)
    sd      t2, 24(sp)
    sd      t3, 32(sp)
    sd      t4, 40(sp)
    sd      t5, 48(sp)
    sd      t6, 56(sp)
    sd      a0, 64(sp)
    sd      a1, 72(sp)
    sd      a2, 80(sp)
    sd      a3, 88(sp)
    sd      a4, 96(sp)
    sd      a5, 104(sp)
    sd      a6, 112(sp)
    sd      a7, 120(sp)
    csrr    t0, sepc
    sd      t0, 128(sp)
    csrr    t0, sstatus
    sd      t0, 136(sp)
    call    native_kernel_trap
    ld      t0, 128(sp)
    csrw    sepc, t0
    ld      t0, 136(sp)
    csrw    sstatus, t0
    ld      ra, 0(sp)
    ld      t0, 8(sp)
    ld      t1, 16(sp)
    ld      t2, 24(sp)
    ld      t3, 32(sp)
    ld      t4, 40(sp)
    ld      t5, 48(sp)
    ld      t6, 56(sp)
    ld      a0, 64(sp)
    ld      a1, 72(sp)
    ld      a2, 80(sp)
    ld      a3, 88(sp)
    ld      a4, 96(sp)
    ld      a5, 104(sp)
    ld      a6, 112(sp)
    ld      a7, 120(sp)
    addi    sp, sp, KFRAME
    sret

/* void arch_return_to_user(struct trapframe *tf): sret into U-mode with tf's registers. */
    .globl arch_return_to_user
arch_return_to_user:
    csrw    sscratch, a0
    ld      t0, 0(a0)
    csrw    sepc, t0
    li      t0, 0x100               /* sstatus.SPP = 0: return to U */
    csrc    sstatus, t0
    li      t0, 0x20                /* sstatus.SPIE = 1: interrupts on in U */
    csrs    sstatus, t0
    ld      x1, 8(a0)
    ld      x2, 16(a0)
    ld      x3, 24(a0)
    ld      x4, 32(a0)
    ld      x5, 40(a0)
    ld      x6, 48(a0)
    ld      x7, 56(a0)
    ld      x8, 64(a0)
    ld      x9, 72(a0)
    ld      x11, 88(a0)
    ld      x12, 96(a0)
    ld      x13, 104(a0)
    ld      x14, 112(a0)
    ld      x15, 120(a0)
    ld      x16, 128(a0)
    ld      x17, 136(a0)
    ld      x18, 144(a0)
    ld      x19, 152(a0)
    ld      x20, 160(a0)
    ld      x21, 168(a0)
    ld      x22, 176(a0)
    ld      x23, 184(a0)
    ld      x24, 192(a0)
    ld      x25, 200(a0)
    ld      x26, 208(a0)
    ld      x27, 216(a0)
    ld      x28, 224(a0)
    ld      x29, 232(a0)
    ld      x30, 240(a0)
    ld      x31, 248(a0)
    ld      x10, 80(a0)
    sret

    .data
    .balign 4
boot_lottery:
    .word   0

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  16384
    .globl boot_stack_top
boot_stack_top:
