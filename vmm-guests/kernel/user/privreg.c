/* privreg: a kernel path that writes a privileged register (sets and clears sstatus.SIE) N times. */
#include "user.h"

int main(long n)
{
    long start = uptime();
    long matched = privreg(n);
    return result("privreg", n, matched == n, start, "");
}
