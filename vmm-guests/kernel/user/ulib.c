#include "user.h"
#include "../fmt.h"

long syscall(long number, long a0, long a1, long a2, long a3)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a7) : "memory");
    return r_a0;
}

void printf(const char *format, ...)
{
    char line[256];
    va_list args;
    va_start(args, format);
    int n = vformat(line, sizeof line, format, args);
    va_end(args);
    write(1, line, (size_t) n < sizeof line ? (size_t) n : sizeof line - 1);  /* one write: lines never interleave */
}

int result(const char *name, long iters, int ok, long start_ticks, const char *extra)
{
    printf("RESULT name=%s iters=%ld check=%s ticks=%ld%s%s\n", name, iters, ok ? "ok" : "FAIL",
           uptime() - start_ticks, extra[0] != '\0' ? " " : "", extra);
    return ok ? 0 : 1;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n-- != 0) {
        *p++ = (uint8_t) c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n-- != 0) {
        *p++ = *q++;
    }
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    if (p < q) {
        while (n-- != 0) {
            *p++ = *q++;
        }
    } else {
        while (n != 0) {
            n--;
            p[n] = q[n];
        }
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}
