/* nullcall: the cheapest system call (getpid), N times. */
#include "user.h"

int main(long n)
{
    long start = uptime();
    int pid = getpid();
    int ok = pid > 0;
    for (long i = 0; i < n; i++) {
        if (getpid() != pid) {
            ok = 0;
        }
    }
    return result("nullcall", n, ok, start, "");
}
