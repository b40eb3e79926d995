/*
 * The system-call ABI, shared by the kernel and the user programs.
 * ecall with the number in a7 and arguments in a0..a5; the result comes back in a0
 * (negative on error).
 */
#ifndef ABI_H
#define ABI_H

#define SYS_write    1  /* write(fd, buf, len) -> len; fd 1 and 2 are the console */
#define SYS_exit     2  /* exit(status): 0 = the workload's check passed */
#define SYS_getpid   3  /* getpid() -> pid */
#define SYS_fork     4  /* fork() -> child pid in the parent, 0 in the child */
#define SYS_wait     5  /* wait(int *status or 0) -> pid of a reaped child, -1 if none */
#define SYS_yield    6  /* yield() -> 0 */
#define SYS_sbrk     7  /* sbrk(increment) -> old break; pages appear on first touch */
#define SYS_uptime   8  /* uptime() -> timer ticks since boot (hz= on the command line, default 100) */
#define SYS_mmap     9  /* mmap(length, prot) -> address of a fresh anonymous region, filled lazily */
#define SYS_munmap  10  /* munmap(addr, length) -> 0; must name a whole region returned by mmap */
#define SYS_mprotect 11 /* mprotect(addr, length, prot) -> 0; must name a whole region */
#define SYS_devread 12  /* devread(count) -> number of reads (of count) that returned the expected value */
#define SYS_privreg 13  /* privreg(count) -> number of privileged-register round trips that read back right */
#define SYS_blkinfo 14  /* blkinfo() -> capacity in 512-byte sectors, -1 without a disk */
#define SYS_blkrw   15  /* blkrw(sector, buf, count, write) -> 0; count <= 8 sectors */

#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define USER_BASE   0x40000000ul  /* programs are linked here */
#define USER_TOP    0x80000000ul  /* the stack grows down from here */

#endif
