/* forkwait: fork a child that exits at once, wait for it; N times. The child checks it got a copy of
 * the parent's memory and the parent checks the child's exit status. */
#include "user.h"

static volatile long marker;

int main(long n)
{
    long start = uptime();
    int ok = 1;
    for (long i = 0; i < n; i++) {
        marker = i;
        int child = fork();
        if (child == 0) {
            int copied = marker == i;
            marker = -1;          /* must not reach the parent */
            exit(copied ? (int) (i & 0x7f) : 255);
        }
        int status = -2;
        if (child < 0 || wait(&status) != child || status != (int) (i & 0x7f) || marker != i) {
            ok = 0;
        }
    }
    return result("forkwait", n, ok, start, "");
}
