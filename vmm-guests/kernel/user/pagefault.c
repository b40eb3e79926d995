/* pagefault: grow the heap with sbrk, touch each fresh page (one demand-zero page fault each),
 * shrink it again so the next round faults again; N pages in all. */
#include "user.h"

#define CHUNK 64

int main(long n)
{
    long start = uptime();
    int ok = 1;
    for (long done = 0; done < n;) {
        long pages = n - done < CHUNK ? n - done : CHUNK;
        volatile uint64_t *base = sbrk(pages * PAGE_SIZE);
        if ((long) base == -1) {
            ok = 0;
            break;
        }
        for (long p = 0; p < pages; p++) {
            volatile uint64_t *page = base + p * (PAGE_SIZE / 8);
            if (page[0] != 0 || page[PAGE_SIZE / 8 - 1] != 0) {
                ok = 0;     /* a fresh page must read zero */
            }
            page[0] = (uint64_t) (done + p) * 0x9e3779b97f4a7c15ull;
            page[PAGE_SIZE / 8 - 1] = ~page[0];
        }
        for (long p = 0; p < pages; p++) {
            volatile uint64_t *page = base + p * (PAGE_SIZE / 8);
            uint64_t expected = (uint64_t) (done + p) * 0x9e3779b97f4a7c15ull;
            if (page[0] != expected || page[PAGE_SIZE / 8 - 1] != ~expected) {
                ok = 0;
            }
        }
        if ((long) sbrk(-pages * PAGE_SIZE) == -1) {
            ok = 0;
        }
        done += pages;
    }
    return result("pagefault", n, ok, start, "");
}
