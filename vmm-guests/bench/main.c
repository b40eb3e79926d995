/*
 * Runs each kernel, measures it with minstret and mcycle, and prints one line per kernel:
 *   BENCH <name> check=ok|FAIL instret=<delta> cycles=<delta>
 * then a total line, and exits through the test finisher (pass, or fail with a mask of failed kernels).
 * Built with -DBENCH_FP (bench-fp.elf), it runs the floating-point kernels of fp-kernels.c instead; with
 * -DBENCH_WIDE (bench-wide.elf), the wide-path hash kernels of wide-kernels.c.
 */
#include "bench.h"

struct kernel {
    const char *name;
    int (*run)(uint32_t repetitions);
    uint32_t repetitions; /* at SCALE 1 */
};

#ifdef BENCH_FP
#ifndef __riscv_flen
#error "BENCH_FP needs a build with F and D (-march=rv64imafdc... -mabi=lp64d)"
#endif
/* bench-fp.elf: base repetitions give each kernel roughly 7.5 million instructions at SCALE 1. */
static const struct kernel kernels[] = {
    { "dmatmul", kernel_dmatmul, 4 },
    { "sstencil", kernel_sstencil, 19 },
    { "nbody", kernel_nbody, 16 },
    { "mandel", kernel_mandel, 6 },
    { "convert", kernel_convert, 8 },
};
#elif defined(BENCH_WIDE)
/* bench-wide.elf: base repetitions give each kernel 3-5 million instructions at SCALE 1. */
static const struct kernel kernels[] = {
    { "blake2s", kernel_blake2s, 125 },
    { "sha256", kernel_sha256, 40 },
};
#else
/* Base repetitions give each kernel roughly 5 million instructions at SCALE 1. */
static const struct kernel kernels[] = {
    { "crc32", kernel_crc32, 55 },
    { "sieve", kernel_sieve, 3 },
    { "matmul", kernel_matmul, 2 },
    { "sort", kernel_sort, 4 },
    { "list", kernel_list, 10 },
    { "string", kernel_string, 24 },
};
#endif

static inline uint64_t read_minstret(void)
{
    uint64_t value;
    __asm__ volatile("csrr %0, minstret" : "=r"(value));
    return value;
}

static inline uint64_t read_mcycle(void)
{
    uint64_t value;
    __asm__ volatile("csrr %0, mcycle" : "=r"(value));
    return value;
}

static void report(const char *name, int ok, uint64_t instret, uint64_t cycles)
{
    console_puts("BENCH ");
    console_puts(name);
    console_puts(ok ? " check=ok" : " check=FAIL");
    console_puts(" instret=");
    console_put_decimal(instret);
    console_puts(" cycles=");
    console_put_decimal(cycles);
    console_putc('\n');
}

void __attribute__((noreturn)) bench_main(void)
{
    console_puts("BENCH start scale=");
    console_put_decimal(SCALE);
    console_putc('\n');

    uint32_t failed = 0;
    uint64_t total_instret = read_minstret();
    uint64_t total_cycles = read_mcycle();
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
        uint64_t instret = read_minstret();
        uint64_t cycles = read_mcycle();
        int ok = kernels[i].run(kernels[i].repetitions * (uint32_t) SCALE);
        cycles = read_mcycle() - cycles;
        instret = read_minstret() - instret;
        if (!ok) {
            failed |= 1u << i;
        }
        report(kernels[i].name, ok, instret, cycles);
    }
    total_cycles = read_mcycle() - total_cycles;
    total_instret = read_minstret() - total_instret;
    report("total", failed == 0, total_instret, total_cycles);

    if (failed != 0) {
        finisher_fail(failed);
    }
    finisher_pass();
}
