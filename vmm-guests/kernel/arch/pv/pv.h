/*
 * The VMMLab PV ABI 1.0, guest side (vmm-paravirt/PV-ABI.md): hypercall numbers, error codes and
 * the shared page. Shared between arch.c and entry.S.
 */
#ifndef PV_H
#define PV_H

#define PV_BASE 0x50560000
#define PV_VERSION 0
#define PV_REGISTER_SHARED_PAGE 1
#define PV_SET_TRAP_VECTOR 2
#define PV_IRET 3
#define PV_MMU_UPDATE 4
#define PV_PIN_TABLE 5
#define PV_UNPIN_TABLE 6
#define PV_NEW_BASEPTR 7
#define PV_TLB_FLUSH 8
#define PV_SET_TIMER 9
#define PV_GET_TIME 10
#define PV_CONSOLE_PUTC 11
#define PV_CONSOLE_WRITE 12
#define PV_MMIO_READ 13
#define PV_MMIO_WRITE 14
#define PV_YIELD 15
#define PV_BLOCK 16
#define PV_SHUTDOWN 17

#define PV_IRET_KERNEL 0
#define PV_IRET_USER 1

/* shared page field offsets */
#define PV_SHARED_EVENTS_MASK 0x00
#define PV_SHARED_EVENTS_PENDING 0x08
#define PV_SHARED_SCRATCH 0x10
#define PV_SHARED_TRAP_EPC 0x18
#define PV_SHARED_TRAP_CAUSE 0x20
#define PV_SHARED_TRAP_TVAL 0x28

#ifndef __ASSEMBLER__
#include <stdint.h>

struct pv_shared {
    volatile uint64_t events_mask;     /* guest: nonzero masks event delivery (virtual sstatus.SIE = 0) */
    volatile uint64_t events_pending;  /* VMM: bit 5 timer, bit 9 device */
    volatile uint64_t scratch;         /* swapped with sp on trap entry (virtual sscratch) */
    volatile uint64_t trap_epc, trap_cause, trap_tval;
    volatile uint64_t time;
    volatile uint64_t ram_base, ram_size, timebase_hz, magic;
};
#endif

#endif
