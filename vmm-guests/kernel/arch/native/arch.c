/*
 * Native port, C half: the kernel runs in real S-mode. CSRs, sfence.vma, wfi and SBI ecalls
 * (timer, console, system reset) appear only here and in entry.S.
 */
#include "../arch.h"
#include "../sbi.h"

#define SSTATUS_SIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SIE_SEIE (1ul << 9)
#define SATP_SV39 (8ul << 60)

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint64_t) (v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint64_t) (v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint64_t) (v)) : "memory")

static int sbi_has(uint64_t eid)
{
    struct sbiret r = sbi_call(SBI_EXT_BASE, 3 /* probe_extension */, eid, 0);
    return r.error == 0 && r.value != 0;
}

static int have_time_ext;
static int have_debug_console;

extern void native_trap_vector(void);

void arch_init(uint64_t hartid)
{
    (void) hartid;
    csr_write(sscratch, 0);
    csr_write(stvec, (uint64_t) native_trap_vector);
    csr_write(sie, 0);
    csr_clear(sstatus, SSTATUS_SIE);
    have_time_ext = sbi_has(SBI_EXT_TIME);
    have_debug_console = sbi_has(SBI_EXT_DBCN);
}

void arch_shutdown(int failed)
{
    sbi_shutdown(failed);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void arch_console_putc(char c)
{
    sbi_putchar(c);
}

/*
 * Through the SBI debug console's write (one call per buffer; the kernel maps RAM at its physical addresses, so the
 * buffer's address is the physical one the call takes), else a character at a time.
 */
void arch_console_write(const char *s, size_t n)
{
    while (n > 0 && have_debug_console) {
        struct sbiret r = sbi_call3(SBI_EXT_DBCN, 0 /* write */, n, (uint64_t) s, 0);
        if (r.error != 0 || r.value <= 0 || (size_t) r.value > n) {
            break;
        }
        s += r.value;
        n -= (size_t) r.value;
    }
    for (size_t i = 0; i < n; i++) {
        sbi_putchar(s[i]);
    }
}

uint64_t arch_time(void)
{
    return csr_read(time);
}

void arch_set_timer(uint64_t deadline)
{
    if (have_time_ext) {
        sbi_call(SBI_EXT_TIME, 0, deadline, 0);
    } else {
        sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, deadline, 0);
    }
}

void arch_irq_enable(void)
{
    csr_set(sstatus, SSTATUS_SIE);
}

void arch_irq_disable(void)
{
    csr_clear(sstatus, SSTATUS_SIE);
}

void arch_irq_sources_enable(void)
{
    csr_set(sie, SIE_STIE | SIE_SEIE);
}

void arch_wait_for_interrupt(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

void arch_pte_set(pte_t *pte, pte_t value)
{
    *(volatile pte_t *) pte = value;
}

void arch_pt_commit(void)
{
    /* stores to page tables are visible to the walker once fenced; the flushes below fence */
}

void arch_pt_page_new(pte_t *table, int level)
{
    (void) table;
    (void) level;
}

void arch_pt_page_free(pte_t *table)
{
    (void) table;
}

void arch_switch_address_space(pte_t *root)
{
    csr_write(satp, SATP_SV39 | ((uint64_t) root >> 12));
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

void arch_flush_tlb_page(uint64_t va)
{
    __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

void arch_flush_tlb_all(void)
{
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

uint64_t arch_privreg_exercise(uint64_t count)
{
    uint64_t matched = 0;
    for (uint64_t i = 0; i < count; i++) {
        csr_set(sstatus, SSTATUS_SIE);   /* a pending interrupt may be taken right here (sret restores SIE) */
        uint64_t enabled = csr_read(sstatus) & SSTATUS_SIE;
        csr_clear(sstatus, SSTATUS_SIE);
        if (enabled != 0 && (csr_read(sstatus) & SSTATUS_SIE) == 0) {   /* both writes took effect */
            matched++;
        }
    }
    return matched;
}

/* ---- trap decoding (called from entry.S) ---- */
#define CAUSE_INTERRUPT (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15
#define EXC_ECALL_U 8

void native_user_trap(struct trapframe *tf) __attribute__((noreturn));
void native_user_trap(struct trapframe *tf)
{
    uint64_t cause = csr_read(scause);
    uint64_t value = csr_read(stval);
    if (cause & CAUSE_INTERRUPT) {
        switch (cause & ~CAUSE_INTERRUPT) {
        case IRQ_S_TIMER: trap_user_timer(tf); break;
        case IRQ_S_EXT: trap_user_external(tf); break;
        case IRQ_S_SOFT: csr_clear(sip, 1ul << IRQ_S_SOFT); break;
        default: trap_user_fatal(tf, cause, value); break;
        }
    } else {
        switch (cause) {
        case EXC_ECALL_U: trap_user_syscall(tf); break;
        case EXC_INST_PAGE_FAULT: trap_user_page_fault(tf, value, ACCESS_EXEC); break;
        case EXC_LOAD_PAGE_FAULT: trap_user_page_fault(tf, value, ACCESS_READ); break;
        case EXC_STORE_PAGE_FAULT: trap_user_page_fault(tf, value, ACCESS_WRITE); break;
        default: trap_user_fatal(tf, cause, value); break;
        }
    }
    trap_user_done(tf);
}

void native_kernel_trap(void);
void native_kernel_trap(void)
{
    uint64_t cause = csr_read(scause);
    if (cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
        trap_kernel_timer();
    } else if (cause == (CAUSE_INTERRUPT | IRQ_S_EXT)) {
        trap_kernel_external();
    } else if (cause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
        csr_clear(sip, 1ul << IRQ_S_SOFT);
    } else {
        trap_kernel_fatal(cause, csr_read(stval), csr_read(sepc));
    }
}
