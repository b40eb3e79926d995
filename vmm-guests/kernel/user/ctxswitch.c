/* ctxswitch: two processes yield to each other N times each. Then a check that the timer preempts:
 * the parent spins without yielding for SPIN ticks after forking; the child must get the CPU
 * (and report how long it waited) well before the parent stops spinning. */
#include "user.h"

#define SPIN 10

int main(long n)
{
    long start = uptime();
    int child = fork();
    if (child == 0) {
        for (long i = 0; i < n; i++) {
            yield();
        }
        exit(42);
    }
    for (long i = 0; i < n; i++) {
        yield();
    }
    int status = 0;
    int ok = child > 0 && wait(&status) == child && status == 42;

    long forked = uptime();
    child = fork();
    if (child == 0) {
        long waited = uptime() - forked;
        exit(waited < SPIN ? (int) waited : SPIN);
    }
    while (uptime() < forked + SPIN) {
        for (volatile int j = 0; j < 1000; j++) {
            /* user-mode work between checks: the tick lands here */
        }
    }
    ok &= child > 0 && wait(&status) == child && status < SPIN;
    return result("ctxswitch", n, ok, start, "");
}
