/*
 * SBI calls (spec: riscv-sbi-doc), for the ports that can reach SBI firmware: the native port always, the PV
 * port only to say it found no PV hypervisor. Include it from a port's arch.c only: an ecall outside kernel/arch
 * fails `make seam-check`.
 */
#ifndef SBI_H
#define SBI_H

#include <stdint.h>

#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e

struct sbiret { long error; long value; };

static inline struct sbiret sbi_call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1)
{
    register uint64_t r_a0 __asm__("a0") = a0;
    register uint64_t r_a1 __asm__("a1") = a1;
    register uint64_t r_a6 __asm__("a6") = fid;
    register uint64_t r_a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a6), "r"(r_a7) : "memory");
    return (struct sbiret) { (long) r_a0, (long) r_a1 };
}

/* The same with a third argument (a2). */
static inline struct sbiret sbi_call3(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
    register uint64_t r_a0 __asm__("a0") = a0;
    register uint64_t r_a1 __asm__("a1") = a1;
    register uint64_t r_a2 __asm__("a2") = a2;
    register uint64_t r_a6 __asm__("a6") = fid;
    register uint64_t r_a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a2), "r"(r_a6), "r"(r_a7) : "memory");
    return (struct sbiret) { (long) r_a0, (long) r_a1 };
}

/* Powers off through SRST (reason 1: system failure), or the legacy shutdown where SRST is missing. */
static inline void sbi_shutdown(int failed)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, failed ? 1 /* system failure */ : 0);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0);
}

static inline void sbi_putchar(char c)
{
    sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t) c, 0);
}

#endif
