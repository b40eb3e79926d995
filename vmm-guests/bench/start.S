/*
 * Entry point at 0x80000000 (QEMU virt with -bios none jumps here on every hart).
 * Hart 0 sets gp, sp and mtvec, zeroes .bss and calls bench_main; other harts park in wfi.
 * Built with F (bench-fp.elf), it first turns the FPU on; the integer images have no FP code.
 */
    .section .text.start, "ax", @progbits
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park

    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    csrw    mie, zero
#ifdef __riscv_flen
    /* FP instructions are illegal while mstatus.FS is Off (Priv. spec v1.12 §3.1.6.6): set it to
       Initial, and fcsr to round-to-nearest-even with no flags, as its reset value is unspecified. */
    li      t0, 0x2000
    csrs    mstatus, t0
    csrw    fcsr, zero
#endif

    la      t0, __bss_start
    la      t1, __bss_end
1:
    bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    call    bench_main

park:
    wfi
    j       park

/* No trap is expected: report mcause, mepc and mtval on a fresh stack and fail. */
    .balign 4
trap_entry:
    la      sp, __stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    bench_trap
    j       park

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  65536
__stack_top:
