/* mmio: the kernel reads a device register N times on our behalf (the first virtio-mmio transport's
 * MagicValue, or without one a PLIC priority register) and counts the reads that returned the
 * expected value. */
#include "user.h"

int main(long n)
{
    long start = uptime();
    long matched = devread(n);
    return result("mmio", n, matched == n, start, "");
}
