/* The user-side library: system-call stubs, formatting, and the RESULT line. */
#ifndef USER_H
#define USER_H

#include <stddef.h>
#include <stdint.h>
#include "../abi.h"

long syscall(long number, long a0, long a1, long a2, long a3);

static inline long write(int fd, const void *buf, size_t len) { return syscall(SYS_write, fd, (long) buf, (long) len, 0); }
static inline void exit(int status) { syscall(SYS_exit, status, 0, 0, 0); for (;;) { } }
static inline int getpid(void) { return (int) syscall(SYS_getpid, 0, 0, 0, 0); }
static inline int fork(void) { return (int) syscall(SYS_fork, 0, 0, 0, 0); }
static inline int wait(int *status) { return (int) syscall(SYS_wait, (long) status, 0, 0, 0); }
static inline void yield(void) { syscall(SYS_yield, 0, 0, 0, 0); }
static inline void *sbrk(long increment) { return (void *) syscall(SYS_sbrk, increment, 0, 0, 0); }
static inline long uptime(void) { return syscall(SYS_uptime, 0, 0, 0, 0); }
static inline void *mmap(size_t length, int prot) { return (void *) syscall(SYS_mmap, (long) length, prot, 0, 0); }
static inline long munmap(void *addr, size_t length) { return syscall(SYS_munmap, (long) addr, (long) length, 0, 0); }
static inline long mprotect(void *addr, size_t length, int prot) { return syscall(SYS_mprotect, (long) addr, (long) length, prot, 0); }
static inline long devread(long count) { return syscall(SYS_devread, count, 0, 0, 0); }
static inline long privreg(long count) { return syscall(SYS_privreg, count, 0, 0, 0); }
static inline long blkinfo(void) { return syscall(SYS_blkinfo, 0, 0, 0, 0); }
static inline long blkrw(long sector, void *buf, long count, int write) { return syscall(SYS_blkrw, sector, (long) buf, count, write); }

#define PAGE_SIZE 4096

void printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Prints "RESULT name=<name> iters=<iters> check=<ok|FAIL> ticks=<t> <extra>" and returns the exit
 * status for it (0 when ok). t is the uptime since start_ticks. */
int result(const char *name, long iters, int ok, long start_ticks, const char *extra);

/* Each program defines main(iterations); its return value is the exit status. */
int main(long iterations);

#endif
