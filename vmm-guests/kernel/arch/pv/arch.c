/*
 * PV port, C half: the kernel runs in the hart's U-mode under vmm-paravirt; everything privileged is
 * a hypercall of the PV ABI (vmm-paravirt/PV-ABI.md, constants in pv.h). No CSR access, sret, sfence.vma
 * or wfi appears in this port: `ecall` (a hypercall) is its only way out.
 *
 * Direct paging: the kernel's page tables are the hart's, but page-table pages are read-only to it.
 * Every PTE write is queued and sent to the VMM in one validated MMU_UPDATE batch at arch_pt_commit (or
 * when the queue fills). A page becomes a page table by PIN_TABLE after its kernel mapping lost W, and
 * gets W back after UNPIN_TABLE. The kernel maps RAM with 4 KiB pages (not the native 1 GiB pages,
 * which would map every page table writable) and maps no device memory: devices are MMIO hypercalls.
 */
#include "../../kernel.h"
#include "pv.h"
#include "../sbi.h"

struct pv_ret { long error; uint64_t value; };

static inline struct pv_ret pv_call(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2)
{
    register uint64_t r_a0 __asm__("a0") = a0;
    register uint64_t r_a1 __asm__("a1") = a1;
    register uint64_t r_a2 __asm__("a2") = a2;
    register uint64_t r_a7 __asm__("a7") = PV_BASE + number;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a2), "r"(r_a7) : "memory");
    return (struct pv_ret) { (long) r_a0, r_a1 };
}

/* The page shared with the VMM (Xen's shared_info): in .bss, so outside the page allocator. */
struct pv_shared pv_shared __attribute__((aligned(4096)));

extern void pv_trap_vector(void);

/*
 * Not under a PV hypervisor (the image booted on a board or under a strategy that runs unmodified kernels):
 * the ecall reached SBI firmware instead, which does not know the PV extension. Say so through the SBI's
 * legacy console and power off through SRST (legacy shutdown if that is missing), rather than running on
 * with hypercalls that never answer.
 */
static void no_pv_hypervisor(void)
{
    static const char message[] = "kernel-pv: no VMMLab PV hypervisor answered (the VERSION hypercall failed); "
                                  "this kernel runs only under the paravirt strategy\n";
    for (const char *p = message; *p != '\0'; p++) {
        sbi_putchar(*p);
    }
    for (;;) {
        sbi_shutdown(1);
    }
}

void arch_init(uint64_t hartid)
{
    (void) hartid;
    struct pv_ret version = pv_call(PV_VERSION, 0, 0, 0);
    if (version.error != 0) {
        no_pv_hypervisor();
    }
    if (version.value >> 16 != 1
            || pv_call(PV_REGISTER_SHARED_PAGE, (uint64_t) &pv_shared, 0, 0).error != 0
            || pv_call(PV_SET_TRAP_VECTOR, (uint64_t) pv_trap_vector, 0, 0).error != 0) {
        pv_call(PV_SHUTDOWN, 1, 0, 0);
    }
    pv_shared.scratch = 0;
    pv_shared.events_mask = 1;
}

void arch_shutdown(int failed)
{
    for (;;) {
        pv_call(PV_SHUTDOWN, failed ? 1 : 0, 0, 0);
    }
}

void arch_console_putc(char c)
{
    pv_call(PV_CONSOLE_PUTC, (uint8_t) c, 0, 0);
}

void arch_console_write(const char *s, size_t n)
{
    while (n > 0) {
        size_t chunk = n < 4096 ? n : 4096;
        struct pv_ret r = pv_call(PV_CONSOLE_WRITE, (uint64_t) s, chunk, 0);
        if (r.error != 0 || r.value == 0 || r.value > chunk) {
            break;
        }
        s += r.value;
        n -= r.value;
    }
    for (size_t i = 0; i < n; i++) {
        arch_console_putc(s[i]);
    }
}

uint64_t arch_time(void)
{
    return pv_call(PV_GET_TIME, 0, 0, 0).value;
}

void arch_set_timer(uint64_t deadline)
{
    pv_call(PV_SET_TIMER, deadline, 0, 0);
}

void arch_irq_enable(void)
{
    pv_shared.events_mask = 0;
    __sync_synchronize();
    if (pv_shared.events_pending != 0) {
        pv_call(PV_YIELD, 0, 0, 0);   /* the VMM delivers pending events on the way back */
    }
}

void arch_irq_disable(void)
{
    pv_shared.events_mask = 1;
    __sync_synchronize();
}

void arch_irq_sources_enable(void)
{
    /* timer and device events are always routed to the guest; the mask alone gates them */
}

void arch_wait_for_interrupt(void)
{
    pv_call(PV_BLOCK, 0, 0, 0);
}

uint32_t arch_mmio_read32(uint64_t pa)
{
    return (uint32_t) pv_call(PV_MMIO_READ, pa, 4, 0).value;
}

void arch_mmio_write32(uint64_t pa, uint32_t value)
{
    pv_call(PV_MMIO_WRITE, pa, 4, value);
}

/* ---- direct paging ---- */
#define QUEUE_LENGTH 64
#define GIGA (1ul << 30)
#define MEGA2 (1ul << 21)
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 511)

static struct { uint64_t entry, value; } queue[QUEUE_LENGTH];
static uint64_t queued;
static int linear_map_ready;   /* the kernel's 4 KiB map of RAM is live: pinning must drop W in it */

static void pv_queue_flush(void)
{
    if (queued == 0) {
        return;
    }
    struct pv_ret r = pv_call(PV_MMU_UPDATE, (uint64_t) queue, queued, 0);
    if (r.error != 0) {
        panic("pv: mmu_update refused (error %ld) at entry %lu: pte %p value %lx", r.error, r.value,
              (void *) queue[r.value].entry, queue[r.value].value);
    }
    queued = 0;
}

static void pv_queue_add(pte_t *pte, pte_t value)
{
    if (queued == QUEUE_LENGTH) {
        pv_queue_flush();
    }
    queue[queued].entry = (uint64_t) pte;
    queue[queued].value = value;
    queued++;
}

/* The kernel's leaf entry for a RAM page in the linear map. */
static pte_t *pv_linear_entry(uint64_t pa)
{
    pte_t *l1 = (pte_t *) PTE_PA(kernel_root[VPN(pa, 2)]);
    pte_t *l0 = (pte_t *) PTE_PA(l1[VPN(pa, 1)]);
    return &l0[VPN(pa, 0)];
}

static void pv_pin(void *table, int level)
{
    long error = pv_call(PV_PIN_TABLE, (uint64_t) table, (uint64_t) level, 0).error;
    if (error != 0) {
        panic("pv: pin of %p (level %d) refused: error %ld", table, level, error);
    }
}

/* Entries of a table not yet pinned are plain stores: the page is still the kernel's own. */
static void pv_make_read_only(pte_t *l1, uint64_t pa)
{
    pte_t *l0 = (pte_t *) PTE_PA(l1[VPN(pa, 1)]);
    l0[VPN(pa, 0)] &= ~PTE_W;
}

/* Native maps each gigabyte of RAM with one RWX gigapage; PV maps the RAM part of it with 4 KiB
 * pages (U set: the kernel runs in U-mode), page tables read-only, and devices not at all. */
static void pv_map_kernel_gigabyte(pte_t *root_entry, pte_t gigapage)
{
    const uint64_t ram_base = pv_shared.ram_base, ram_end = pv_shared.ram_base + pv_shared.ram_size;
    uint64_t start = PTE_PA(gigapage), end = start + GIGA;
    start = start > ram_base ? start : ram_base;
    end = end < ram_end ? end : ram_end;
    if (start >= end) {
        return;   /* the device gigabyte: a PV kernel reaches devices by hypercall */
    }
    pte_t *l1 = page_alloc();
    if (l1 == 0) {
        panic("pv: no memory for the kernel map");
    }
    for (uint64_t chunk = start & ~(MEGA2 - 1); chunk < end; chunk += MEGA2) {
        pte_t *l0 = page_alloc();
        if (l0 == 0) {
            panic("pv: no memory for the kernel map");
        }
        l1[VPN(chunk, 1)] = PA_PTE(l0) | PTE_V;
        for (uint64_t pa = chunk > start ? chunk : start; pa < chunk + MEGA2 && pa < end; pa += PAGE_SIZE) {
            l0[VPN(pa, 0)] = PA_PTE(pa) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D;
        }
    }
    pv_make_read_only(l1, (uint64_t) l1);
    pv_make_read_only(l1, (uint64_t) kernel_root);
    for (int i = 0; i < 512; i++) {
        if (l1[i] & PTE_V) {
            pv_make_read_only(l1, PTE_PA(l1[i]));
        }
    }
    for (int i = 0; i < 512; i++) {
        if (l1[i] & PTE_V) {
            pv_pin((void *) PTE_PA(l1[i]), 0);
        }
    }
    pv_pin(l1, 1);
    pv_queue_add(root_entry, PA_PTE(l1) | PTE_V);
    pv_queue_flush();
    linear_map_ready = 1;
}

void arch_pte_set(pte_t *pte, pte_t value)
{
    if (PAGE_DOWN(pte) == (uint64_t) kernel_root && !linear_map_ready && (value & (PTE_R | PTE_W | PTE_X))) {
        pv_map_kernel_gigabyte(pte, value);
        return;
    }
    pv_queue_add(pte, value);
}

void arch_pt_commit(void)
{
    pv_queue_flush();
}

void arch_pt_page_new(pte_t *table, int level)
{
    if (linear_map_ready) {
        pte_t *entry = pv_linear_entry((uint64_t) table);
        pv_queue_add(entry, *entry & ~PTE_W);
    }
    pv_queue_flush();
    pv_pin(table, level);
}

void arch_pt_page_free(pte_t *table)
{
    pv_queue_flush();
    long error = pv_call(PV_UNPIN_TABLE, (uint64_t) table, 0, 0).error;
    if (error != 0) {
        panic("pv: unpin of %p refused: error %ld", (void *) table, error);
    }
    if (linear_map_ready) {
        pte_t *entry = pv_linear_entry((uint64_t) table);
        pv_queue_add(entry, *entry | PTE_W);
        pv_queue_flush();
    }
}

void arch_switch_address_space(pte_t *root)
{
    pv_queue_flush();
    if (pv_call(PV_NEW_BASEPTR, (uint64_t) root, 0, 0).error != 0) {
        panic("pv: new_baseptr %p refused", (void *) root);
    }
}

void arch_flush_tlb_page(uint64_t va)
{
    pv_queue_flush();
    pv_call(PV_TLB_FLUSH, va, 1, 0);
}

void arch_flush_tlb_all(void)
{
    pv_queue_flush();
    pv_call(PV_TLB_FLUSH, 0, 0, 0);
}

uint64_t arch_privreg_exercise(uint64_t count)
{
    uint64_t matched = 0;
    for (uint64_t i = 0; i < count; i++) {
        arch_irq_enable();   /* a pending event may be delivered right here */
        uint64_t enabled = pv_shared.events_mask == 0;
        arch_irq_disable();
        if (enabled && pv_shared.events_mask != 0) {   /* both took effect */
            matched++;
        }
    }
    return matched;
}

void arch_return_to_user(struct trapframe *tf)
{
    pv_queue_flush();
    pv_shared.scratch = (uint64_t) tf;   /* the next trap from user mode finds its frame here */
    pv_call(PV_IRET, (uint64_t) tf, PV_IRET_USER, 0);
    panic("pv: iret to user refused");
}

/* ---- trap decoding (called from entry.S; cause and value come from the shared page) ---- */
#define CAUSE_INTERRUPT (1ul << 63)
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15
#define EXC_ECALL_U 8

void pv_user_trap(struct trapframe *tf) __attribute__((noreturn));
void pv_user_trap(struct trapframe *tf)
{
    uint64_t cause = pv_shared.trap_cause;
    uint64_t value = pv_shared.trap_tval;
    if (cause & CAUSE_INTERRUPT) {
        switch (cause & ~CAUSE_INTERRUPT) {
        case IRQ_S_TIMER: trap_user_timer(tf); break;
        case IRQ_S_EXT: trap_user_external(tf); break;
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

void pv_kernel_trap(void);
void pv_kernel_trap(void)
{
    uint64_t cause = pv_shared.trap_cause;
    if (cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
        trap_kernel_timer();
    } else if (cause == (CAUSE_INTERRUPT | IRQ_S_EXT)) {
        trap_kernel_external();
    } else {
        trap_kernel_fatal(cause, pv_shared.trap_tval, pv_shared.trap_epc);
    }
}
