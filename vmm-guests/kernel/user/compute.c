/* compute: the bench guest's six integer kernels (vmm-guests/bench/kernels.c), in user mode.
 * N multiplies each kernel's base repetitions (about 5 million instructions each). */
#include "user.h"
#include "bench.h"

static const struct { const char *name; int (*run)(uint32_t); uint32_t repetitions; } kernels[] = {
    { "crc32", kernel_crc32, 55 },
    { "sieve", kernel_sieve, 3 },
    { "matmul", kernel_matmul, 2 },
    { "sort", kernel_sort, 4 },
    { "list", kernel_list, 10 },
    { "string", kernel_string, 24 },
};

int main(long n)
{
    long start = uptime();
    int ok = 1;
    char failed[64] = "";
    size_t length = 0;
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        if (!kernels[k].run(kernels[k].repetitions * (uint32_t) n)) {
            ok = 0;
            for (const char *c = length ? "," : "failed="; *c != '\0'; c++) {
                failed[length++] = *c;
            }
            for (const char *c = kernels[k].name; *c != '\0'; c++) {
                failed[length++] = *c;
            }
            failed[length] = '\0';
        }
    }
    return result("compute", n, ok, start, failed);
}
