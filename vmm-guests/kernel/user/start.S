/* User entry: a0 = iteration count from the kernel; exit with main's return value. */
    .section .text.start, "ax", @progbits
    .globl _start
_start:
    call    main
    li      a7, 2       /* SYS_exit */
    ecall
1:  j       1b
