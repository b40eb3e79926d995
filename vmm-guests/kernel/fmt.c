#include "fmt.h"
#include <stdint.h>

struct out { char *buffer; size_t size; size_t length; };

static void put(struct out *o, char c)
{
    if (o->length + 1 < o->size) {
        o->buffer[o->length] = c;
    }
    o->length++;
}

static void put_unsigned(struct out *o, uint64_t value, unsigned base)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    while (n > 0) {
        put(o, digits[--n]);
    }
}

int vformat(char *buffer, size_t size, const char *format, va_list args)
{
    struct out o = { buffer, size, 0 };
    for (const char *f = format; *f != '\0'; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        int longs = 0;
        while (*f == 'l') {
            longs++;
            f++;
        }
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(args, int64_t) : va_arg(args, int);
            if (v < 0) {
                put(&o, '-');
                put_unsigned(&o, (uint64_t) -v, 10);
            } else {
                put_unsigned(&o, (uint64_t) v, 10);
            }
            break;
        }
        case 'u':
            put_unsigned(&o, longs ? va_arg(args, uint64_t) : va_arg(args, unsigned), 10);
            break;
        case 'x':
            put_unsigned(&o, longs ? va_arg(args, uint64_t) : va_arg(args, unsigned), 16);
            break;
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_unsigned(&o, (uint64_t) va_arg(args, void *), 16);
            break;
        case 's': {
            const char *s = va_arg(args, const char *);
            for (s = s ? s : "(null)"; *s != '\0'; s++) {
                put(&o, *s);
            }
            break;
        }
        case 'c':
            put(&o, (char) va_arg(args, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            f--;
            break;
        default:
            put(&o, '%');
            put(&o, *f);
            break;
        }
    }
    if (size > 0) {
        o.buffer[o.length < size ? o.length : size - 1] = '\0';
    }
    return (int) o.length;
}
