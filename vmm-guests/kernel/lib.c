/* Freestanding helpers and the kernel console. */
#include "kernel.h"
#include "fmt.h"

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    if (((uint64_t) p & 7) == 0 && (n & 7) == 0) {
        uint64_t v = (uint8_t) c * 0x0101010101010101ull;
        for (uint64_t *q = d; n != 0; n -= 8) {
            *q++ = v;
        }
        return d;
    }
    while (n-- != 0) {
        *p++ = (uint8_t) c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    if ((((uint64_t) d | (uint64_t) s | n) & 7) == 0) {
        uint64_t *q = d;
        const uint64_t *r = s;
        for (; n != 0; n -= 8) {
            *q++ = *r++;
        }
        return d;
    }
    uint8_t *p = d;
    const uint8_t *r = s;
    while (n-- != 0) {
        *p++ = *r++;
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

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || a[i] == '\0') {
            return (unsigned char) a[i] - (unsigned char) b[i];
        }
    }
    return 0;
}

static void vkprintf(const char *format, va_list args)
{
    char line[256];
    vformat(line, sizeof line, format, args);
    arch_console_write(line, strlen(line));
}

void kprintf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vkprintf(format, args);
    va_end(args);
}

void panic(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    kprintf("PANIC: ");
    vkprintf(format, args);
    kprintf("\nSUITE done results=0 failed=1 reason=panic\n");
    va_end(args);
    arch_shutdown(1);
}

extern const struct user_image user_images[];

const struct user_image *user_image_find(const char *name)
{
    size_t n = strlen(name);
    for (const struct user_image *i = user_images; i->name != 0; i++) {
        if (strlen(i->name) == n && strncmp(i->name, name, n) == 0) {
            return i;
        }
    }
    return 0;
}
