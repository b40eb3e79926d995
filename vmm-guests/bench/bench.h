/*
 * bench: a bare-metal M-mode integer benchmark for RV64IMAC on the QEMU virt board, bench-fp, its
 * floating-point sibling for RV64IMAFDC, and bench-wide, hash kernels whose hot path is wide. Shared declarations
 * of the runtime (runtime.c) and the kernels (kernels.c, fp-kernels.c, wide-kernels.c).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Work multiplier: every kernel repeats its base work SCALE times (set by the Makefile). */
#ifndef SCALE
#define SCALE 1
#endif

/* runtime.c: console on the NS16550A UART, exit through the SiFive test finisher. */
void console_putc(char c);
void console_puts(const char *s);
void console_put_decimal(uint64_t value);
void console_put_hex(uint64_t value);
void finisher_pass(void) __attribute__((noreturn));
void finisher_fail(uint32_t code) __attribute__((noreturn));

void *memset(void *destination, int value, size_t length);
void *memcpy(void *destination, const void *source, size_t length);
void *memmove(void *destination, const void *source, size_t length);
int memcmp(const void *left, const void *right, size_t length);

/* kernels.c: each runs its work `repetitions` times and returns 1 when every check passed. */
int kernel_crc32(uint32_t repetitions);
int kernel_sieve(uint32_t repetitions);
int kernel_matmul(uint32_t repetitions);
int kernel_sort(uint32_t repetitions);
int kernel_list(uint32_t repetitions);
int kernel_string(uint32_t repetitions);

/* fp-kernels.c (bench-fp.elf only, built with F and D): the same contract. */
int kernel_dmatmul(uint32_t repetitions);
int kernel_sstencil(uint32_t repetitions);
int kernel_nbody(uint32_t repetitions);
int kernel_mandel(uint32_t repetitions);
int kernel_convert(uint32_t repetitions);

/* wide-kernels.c (bench-wide.elf only): the same contract. */
int kernel_blake2s(uint32_t repetitions);
int kernel_sha256(uint32_t repetitions);

#endif
