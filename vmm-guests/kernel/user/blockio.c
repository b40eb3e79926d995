/* blockio: write N sectors through the virtio-blk driver, 8 at a time, then read them back and
 * verify. Without a disk the check fails visibly (reason=no-disk). */
#include "user.h"

#define BATCH 8

static uint64_t buffer[BATCH * 512 / 8];

static uint64_t pattern(uint64_t seed, uint64_t sector, uint64_t word)
{
    return (seed + sector * 0x9e3779b97f4a7c15ull) ^ (word * 0xbf58476d1ce4e5b9ull);
}

int main(long n)
{
    long start = uptime();
    long capacity = blkinfo();
    if (capacity < 0) {
        printf("RESULT name=blockio iters=0 check=FAIL reason=no-disk\n");
        return 1;
    }
    if (n > capacity) {
        printf("RESULT name=blockio iters=%ld check=FAIL reason=disk-too-small capacity=%ld\n", n, capacity);
        return 1;
    }
    uint64_t seed = (uint64_t) start * 0x2545f4914f6cdd1dull + (uint64_t) getpid(); /* not what an earlier run left */
    int ok = 1;
    for (long s = 0; s < n && ok; s += BATCH) {
        long count = n - s < BATCH ? n - s : BATCH;
        for (long w = 0; w < count * 64; w++) {
            buffer[w] = pattern(seed, (uint64_t) s + (uint64_t) w / 64, (uint64_t) w % 64);
        }
        ok &= blkrw(s, buffer, count, 1) == 0;
    }
    for (long s = 0; s < n && ok; s += BATCH) {
        long count = n - s < BATCH ? n - s : BATCH;
        memset(buffer, 0, sizeof buffer);
        ok &= blkrw(s, buffer, count, 0) == 0;
        for (long w = 0; w < count * 64; w++) {
            ok &= buffer[w] == pattern(seed, (uint64_t) s + (uint64_t) w / 64, (uint64_t) w % 64);
        }
    }
    return result("blockio", n, ok, start, "");
}
