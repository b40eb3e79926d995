/*
 * The arch seam: everything that touches privileged state goes through this interface.
 *
 * The generic kernel (the C files in kernel/) never executes a privileged instruction: no CSR access, no sret,
 * no sfence.vma, no wfi, no ecall to firmware. All of that lives in exactly one directory,
 * kernel/arch/<port>/, which implements the functions below:
 *
 *   arch/native/  real S-mode: CSRs, sret, sfence.vma, wfi, SBI ecalls (timer, console, reset).
 *   arch/pv/      the same functions as hypercalls of the vmm-paravirt ABI (vmm-paravirt/PV-ABI.md).
 *
 * A port also supplies the boot entry (_start, which calls kernel_main) and the trap vector, which
 * saves the user registers into the running process's struct trapframe and then calls one of the
 * generic trap_* handlers declared at the end of this file.
 */
#ifndef ARCH_H
#define ARCH_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t pte_t;

/*
 * Saved user state of one process. The layout is shared with the assembly trap entry
 * (offsets are 8 * index): x1..x31 at index 1..31 (index 0 is the user pc), then the kernel
 * stack pointer the entry switches to.
 */
struct trapframe {
    uint64_t epc;        /*  0: user pc of the trapping instruction (or where to resume) */
    uint64_t regs[31];   /*  8: x1 .. x31; regs[i - 1] is register xi */
    uint64_t kernel_sp;  /* 256: top of this process's kernel stack */
};
#define TF_RA(tf) ((tf)->regs[0])
#define TF_SP(tf) ((tf)->regs[1])
#define TF_A(tf, n) ((tf)->regs[9 + (n)]) /* a0 is x10 */
#define TF_A7(tf) ((tf)->regs[16])

/* ---- boot and power ---- */
void arch_init(uint64_t hartid);              /* once, first thing in kernel_main: trap vector, sscratch, ... */
void arch_shutdown(int failed) __attribute__((noreturn)); /* power off; failed != 0 reports a system failure */

/* ---- console ---- */
void arch_console_putc(char c);
void arch_console_write(const char *s, size_t n); /* n bytes at once: one call out where the platform allows */

/* ---- time and timer ---- */
uint64_t arch_time(void);                    /* the platform timer, in timebase ticks (FDT timebase-frequency) */
void arch_set_timer(uint64_t deadline);      /* one timer interrupt once arch_time() >= deadline */

/* ---- interrupts ---- */
void arch_irq_enable(void);                  /* let pending interrupts trap in the kernel */
void arch_irq_disable(void);
void arch_irq_sources_enable(void);          /* unmask the timer and the external (PLIC) interrupt */
void arch_wait_for_interrupt(void);          /* idle until an interrupt is pending (may return spuriously) */

/* ---- memory management ---- */
/* Page-table updates. Every write of a page-table entry goes through arch_pte_set; a port may queue
 * them, and must have applied all of them by the next arch_pt_commit, arch_flush_tlb_*,
 * arch_switch_address_space or arch_return_to_user. */
void arch_pte_set(pte_t *pte, pte_t value);
void arch_pt_commit(void);
/* A page becomes (or stops being) a page-table page; a PV port pins/unpins it. */
void arch_pt_page_new(pte_t *table, int level);
void arch_pt_page_free(pte_t *table);
void arch_switch_address_space(pte_t *root); /* root: physical (= kernel virtual) address of the Sv39 root */
void arch_flush_tlb_page(uint64_t va);
void arch_flush_tlb_all(void);

/* ---- device registers ---- */
/* 32-bit accesses to device registers by physical address (PLIC, virtio-mmio). Each port's port.h
 * defines them: native as plain volatile loads and stores through the identity-mapped device
 * gigabyte, PV as mmio hypercalls (a PV guest maps no device memory). */
#include "port.h"

/* ---- privileged-register workload ---- */
/* Write a privileged register `count` times (toggle the interrupt-enable bit and back); returns the
 * number of round trips whose read-back matched. Used by the privreg system call. */
uint64_t arch_privreg_exercise(uint64_t count);

/* ---- user mode ---- */
/* Enter user mode with the registers in tf; tf must stay valid: the next trap saves into it. */
void arch_return_to_user(struct trapframe *tf) __attribute__((noreturn));

/* ---- what the port's trap entry calls (implemented by the generic kernel, trap.c) ----
 * From user mode: the entry saves the registers into the process's trapframe, switches to its kernel
 * stack, calls exactly one of the trap_user_* handlers and then trap_user_done, which does not return
 * (it ends in arch_return_to_user, possibly after running other processes). */
enum access { ACCESS_READ, ACCESS_WRITE, ACCESS_EXEC };
void trap_user_syscall(struct trapframe *tf);                             /* ecall from U; epc = the ecall */
void trap_user_timer(struct trapframe *tf);
void trap_user_external(struct trapframe *tf);
void trap_user_page_fault(struct trapframe *tf, uint64_t va, enum access access);
void trap_user_fatal(struct trapframe *tf, uint64_t cause, uint64_t value); /* anything else: kill */
void trap_user_done(struct trapframe *tf) __attribute__((noreturn));
/* From the kernel (only while arch_irq_enable is in effect): the entry saves the interrupted registers
 * on the current stack and returns to the interrupted code afterwards. */
void trap_kernel_timer(void);
void trap_kernel_external(void);
void trap_kernel_fatal(uint64_t cause, uint64_t value, uint64_t pc) __attribute__((noreturn));

#endif
