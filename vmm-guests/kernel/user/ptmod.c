/* ptmod: page-table modification. Each iteration maps a two-page region (mmap + first touch),
 * write-protects it, reads it, makes it writable again, writes it, and unmaps it. At the end a child
 * writes to a read-only page and must be killed for it. */
#include "user.h"

#define PAGES 2

int main(long n)
{
    long start = uptime();
    int ok = 1;
    for (long i = 0; i < n && ok; i++) {
        volatile uint64_t *region = mmap(PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
        if ((long) region == -1) {
            ok = 0;
            break;
        }
        for (int p = 0; p < PAGES; p++) {
            volatile uint64_t *word = region + p * (PAGE_SIZE / 8);
            if (*word != 0) {
                ok = 0;   /* freshly mapped memory reads zero */
            }
            *word = (uint64_t) i * PAGES + (uint64_t) p;
        }
        ok &= mprotect((void *) region, PAGES * PAGE_SIZE, PROT_READ) == 0;
        for (int p = 0; p < PAGES; p++) {
            ok &= region[p * (PAGE_SIZE / 8)] == (uint64_t) i * PAGES + (uint64_t) p;
        }
        ok &= mprotect((void *) region, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0;
        for (int p = 0; p < PAGES; p++) {
            region[p * (PAGE_SIZE / 8) + 1] = 1;
        }
        ok &= munmap((void *) region, PAGES * PAGE_SIZE) == 0;
    }

    /* the protection must hold: a write to a read-only page kills the writer */
    volatile uint64_t *guarded = mmap(PAGE_SIZE, PROT_READ | PROT_WRITE);
    guarded[0] = 7;
    mprotect((void *) guarded, PAGE_SIZE, PROT_READ);
    int child = fork();
    if (child == 0) {
        guarded[0] = 8;     /* must fault */
        exit(0);
    }
    int status = 0;
    ok &= child > 0 && wait(&status) == child && status == -1 && guarded[0] == 7;
    munmap((void *) guarded, PAGE_SIZE);
    return result("ptmod", n, ok, start, "");
}
