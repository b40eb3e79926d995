/*
 * Minimal runtime: polled NS16550A console, SiFive test finisher, and the mem* functions
 * that gcc may emit calls to even with -ffreestanding.
 */
#include "bench.h"

/* QEMU virt: NS16550A at 0x10000000 (THR at offset 0, LSR at offset 5). */
#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

/* QEMU virt: SiFive test finisher at 0x100000. */
#define FINISHER_BASE 0x100000UL
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

void console_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *) UART_BASE;
    while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
        /* wait until the transmit holding register is empty */
    }
    uart[UART_THR] = (uint8_t) c;
}

void console_puts(const char *s)
{
    while (*s != '\0') {
        console_putc(*s++);
    }
}

void console_put_decimal(uint64_t value)
{
    char digits[20];
    int count = 0;
    do {
        digits[count++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) {
        console_putc(digits[--count]);
    }
}

void console_put_hex(uint64_t value)
{
    console_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        console_putc("0123456789abcdef"[(value >> shift) & 0xf]);
    }
}

static void __attribute__((noreturn)) finisher_write(uint32_t value)
{
    *(volatile uint32_t *) FINISHER_BASE = value;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void finisher_pass(void)
{
    finisher_write(FINISHER_PASS);
}

void finisher_fail(uint32_t code)
{
    finisher_write(FINISHER_FAIL | (code << 16));
}

/* Called from trap_entry in start.S; no trap is expected, so report it and fail. */
void __attribute__((noreturn)) bench_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    console_puts("BENCH trap mcause=");
    console_put_hex(mcause);
    console_puts(" mepc=");
    console_put_hex(mepc);
    console_puts(" mtval=");
    console_put_hex(mtval);
    console_putc('\n');
    finisher_fail(0x7f);
}

/* Built with -fno-tree-loop-distribute-patterns, so gcc does not turn these loops into calls to themselves. */
void *memset(void *destination, int value, size_t length)
{
    uint8_t *d = destination;
    while (length-- != 0) {
        *d++ = (uint8_t) value;
    }
    return destination;
}

void *memcpy(void *destination, const void *source, size_t length)
{
    uint8_t *d = destination;
    const uint8_t *s = source;
    while (length-- != 0) {
        *d++ = *s++;
    }
    return destination;
}

void *memmove(void *destination, const void *source, size_t length)
{
    uint8_t *d = destination;
    const uint8_t *s = source;
    if (d < s) {
        while (length-- != 0) {
            *d++ = *s++;
        }
    } else {
        while (length != 0) {
            length--;
            d[length] = s[length];
        }
    }
    return destination;
}

int memcmp(const void *left, const void *right, size_t length)
{
    const uint8_t *l = left;
    const uint8_t *r = right;
    for (size_t i = 0; i < length; i++) {
        if (l[i] != r[i]) {
            return l[i] < r[i] ? -1 : 1;
        }
    }
    return 0;
}
