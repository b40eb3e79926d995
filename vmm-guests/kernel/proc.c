/*
 * Processes: creation from an embedded ELF image, fork, exit, wait, sleep/wakeup, and the
 * round-robin scheduler. One hart; the kernel is not preemptible (interrupts are taken only in
 * the scheduler's idle loop and on purpose), user code is preempted on every timer tick.
 */
#include "kernel.h"

#define STACK_SIZE (1ul << 20)       /* lazily filled stack region below USER_TOP */

static struct proc procs[NPROC];
struct proc *current;
volatile uint64_t need_resched;
static struct context scheduler_context;
static int next_pid = 1;

static struct proc *proc_alloc(const char *name)
{
    for (struct proc *p = procs; p < procs + NPROC; p++) {
        if (p->state == UNUSED) {
            memset(p, 0, offsetof(struct proc, kstack));
            p->root = vm_create();
            if (p->root == 0) {
                return 0;
            }
            p->pid = next_pid++;
            size_t n = strlen(name);
            memcpy(p->name, name, n < sizeof p->name - 1 ? n : sizeof p->name - 1);
            p->tf.kernel_sp = (uint64_t) (p->kstack + KSTACK_SIZE);
            return p;
        }
    }
    return 0;
}

/* Where a new process starts in the kernel: straight out to user mode. */
static void proc_first_run(void)
{
    trap_user_done(&current->tf);
}

static void proc_make_runnable(struct proc *p)
{
    p->context.ra = (uint64_t) proc_first_run;
    p->context.sp = p->tf.kernel_sp;
    p->state = RUNNABLE;
}

void proc_free(struct proc *p)
{
    if (p->root != 0) {
        if (p == current) {
            arch_switch_address_space(kernel_root);
        }
        vm_destroy(p->root);
        p->root = 0;
    }
    p->state = UNUSED;
}

/* ---- ELF loading (ELF64, little-endian, RISC-V, static executables) ---- */
struct elf_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

static int load_elf(struct proc *p, const uint8_t *image, uint64_t size)
{
    const struct elf_header *eh = (const void *) image;
    if (size < sizeof *eh || memcmp(eh->ident, "\177ELF\2\1", 6) != 0 || eh->machine != 243) {
        return -1;
    }
    uint64_t top = USER_BASE;
    for (int i = 0; i < eh->phnum; i++) {
        const struct elf_phdr *ph = (const void *) (image + eh->phoff + (uint64_t) i * eh->phentsize);
        if (ph->type != PT_LOAD || ph->memsz == 0) {
            continue;
        }
        if (ph->vaddr < USER_BASE || ph->vaddr + ph->memsz > USER_TOP - STACK_SIZE || ph->offset + ph->filesz > size) {
            return -1;
        }
        uint64_t perm = (ph->flags & PF_R ? PTE_R : 0) | (ph->flags & PF_W ? PTE_R | PTE_W : 0)
                        | (ph->flags & PF_X ? PTE_X : 0);
        for (uint64_t va = PAGE_DOWN(ph->vaddr); va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
            pte_t *pte = vm_lookup(p->root, va);
            uint8_t *page;
            if (pte != 0) { /* shared with the previous segment */
                page = (uint8_t *) PTE_PA(*pte);
                vm_protect(p->root, va, (*pte & (PTE_R | PTE_W | PTE_X)) | perm);
            } else {
                page = page_alloc();
                if (page == 0 || vm_map(p->root, va, page, perm) != 0) {
                    return -1;
                }
            }
            /* the part of this page that comes from the file */
            uint64_t from = va > ph->vaddr ? va : ph->vaddr;
            uint64_t to = va + PAGE_SIZE < ph->vaddr + ph->filesz ? va + PAGE_SIZE : ph->vaddr + ph->filesz;
            if (from < to) {
                memcpy(page + (from - va), image + ph->offset + (from - ph->vaddr), to - from);
            }
        }
        if (ph->vaddr + ph->memsz > top) {
            top = ph->vaddr + ph->memsz;
        }
    }
    p->heap_base = p->brk = PAGE_UP(top);
    p->vmas[0] = (struct vma) { USER_TOP - STACK_SIZE, USER_TOP, PROT_READ | PROT_WRITE };
    p->tf.epc = eh->entry;
    TF_SP(&p->tf) = USER_TOP;
    return 0;
}

struct proc *proc_spawn(const char *name, uint64_t arg)
{
    const struct user_image *image = user_image_find(name);
    if (image == 0) {
        return 0;
    }
    struct proc *p = proc_alloc(name);
    if (p == 0) {
        return 0;
    }
    if (load_elf(p, image->start, (uint64_t) (image->end - image->start)) != 0) {
        proc_free(p);
        return 0;
    }
    TF_A(&p->tf, 0) = arg;
    proc_make_runnable(p);
    return p;
}

int proc_fork(void)
{
    struct proc *parent = current;
    struct proc *child = proc_alloc(parent->name);
    if (child == 0) {
        return -1;
    }
    if (vm_copy(child->root, parent->root) != 0) {
        proc_free(child);
        return -1;
    }
    uint64_t kernel_sp = child->tf.kernel_sp;
    child->tf = parent->tf;
    child->tf.kernel_sp = kernel_sp;
    TF_A(&child->tf, 0) = 0;
    child->heap_base = parent->heap_base;
    child->brk = parent->brk;
    memcpy(child->vmas, parent->vmas, sizeof child->vmas);
    child->parent = parent;
    proc_make_runnable(child);
    return child->pid;
}

/* Back to the scheduler; returns when this process is chosen again. */
static void sched(void)
{
    swtch(&current->context, &scheduler_context);
}

void proc_exit(int status)
{
    struct proc *p = current;
    arch_switch_address_space(kernel_root);
    vm_destroy(p->root);
    p->root = 0;
    for (struct proc *c = procs; c < procs + NPROC; c++) {
        if (c->state != UNUSED && c->parent == p) {
            c->parent = 0;      /* orphans die with their parent; the scheduler reaps them */
            c->killed = 1;
            if (c->state == SLEEPING && c->sleeping_on == c) {
                c->state = RUNNABLE;    /* blocked in wait: let it see that it was killed */
            }
        }
    }
    p->exit_status = status;
    p->state = ZOMBIE;
    if (p->parent != 0) {
        proc_wakeup(p->parent);
    }
    sched();
    panic("zombie %d ran", p->pid);
}

int proc_wait(uint64_t status_va)
{
    struct proc *p = current;
    for (;;) {
        int children = 0;
        for (struct proc *c = procs; c < procs + NPROC; c++) {
            if (c->state == UNUSED || c->parent != p) {
                continue;
            }
            children++;
            if (c->state == ZOMBIE) {
                int pid = c->pid;
                int status = c->exit_status;
                proc_free(c);
                if (status_va != 0 && copy_out(status_va, &status, sizeof status) != 0) {
                    return -1;
                }
                return pid;
            }
        }
        if (children == 0 || p->killed) {
            return -1;
        }
        proc_sleep(p);
    }
}

void proc_yield(void)
{
    current->state = RUNNABLE;
    sched();
}

void proc_sleep(void *channel)
{
    current->sleeping_on = channel;
    current->state = SLEEPING;
    sched();
    current->sleeping_on = 0;
}

void proc_wakeup(void *channel)
{
    for (struct proc *p = procs; p < procs + NPROC; p++) {
        if (p->state == SLEEPING && p->sleeping_on == channel) {
            p->state = RUNNABLE;
        }
    }
}

/* The suite driver's scheduler loop: round robin over runnable processes until `target` exits
 * (and its orphans are gone); idles in arch_wait_for_interrupt when nothing can run. */
void scheduler_run_until_exit(struct proc *target)
{
    static int last;
    for (;;) {
        int alive = 0;
        struct proc *next = 0;
        for (int i = 1; i <= NPROC; i++) {
            struct proc *p = &procs[(last + i) % NPROC];
            if (p->state == ZOMBIE && p->parent == 0 && p != target) {
                proc_free(p);           /* an orphan */
            }
            if (p->state != UNUSED && p->state != ZOMBIE) {
                alive++;
                if (next == 0 && p->state == RUNNABLE) {
                    next = p;
                    last = (int) (p - procs);
                }
            }
        }
        if (alive == 0 && target->state == ZOMBIE) {
            return;
        }
        if (next == 0) {
            arch_wait_for_interrupt();
            arch_irq_enable();   /* take what woke us (timer, disk) */
            arch_irq_disable();
            continue;
        }
        next->state = RUNNING;
        current = next;
        need_resched = 0;       /* a fresh time slice */
        arch_switch_address_space(next->root);
        swtch(&scheduler_context, &next->context);
        current = 0;
    }
}

/* ---- user memory ---- */

static struct vma *vma_find(struct proc *p, uint64_t va)
{
    for (int i = 0; i < NVMA; i++) {
        if (p->vmas[i].end != 0 && va >= p->vmas[i].start && va < p->vmas[i].end) {
            return &p->vmas[i];
        }
    }
    return 0;
}

static uint64_t prot_to_pte(int prot)
{
    return (prot & PROT_READ ? PTE_R : 0) | (prot & PROT_WRITE ? PTE_R | PTE_W : 0) | (prot & PROT_EXEC ? PTE_X : 0);
}

/* A fault at va in p: map a fresh zero page if va lies in the heap or a region that allows the
 * access and nothing is mapped there yet. */
int vma_fault(struct proc *p, uint64_t va, enum access access)
{
    if (vm_lookup(p->root, va) != 0) {
        return -1;          /* mapped, so the permissions forbid this access */
    }
    int prot;
    if (va >= p->heap_base && va < p->brk) {
        prot = PROT_READ | PROT_WRITE;
    } else {
        struct vma *v = vma_find(p, va);
        if (v == 0) {
            return -1;
        }
        prot = v->prot;
    }
    int needed = access == ACCESS_WRITE ? PROT_WRITE : access == ACCESS_EXEC ? PROT_EXEC : PROT_READ;
    if ((prot & needed) == 0) {
        return -1;
    }
    void *page = page_alloc();
    if (page == 0) {
        return -1;
    }
    if (vm_map(p->root, PAGE_DOWN(va), page, prot_to_pte(prot)) != 0) {
        page_free(page);
        return -1;
    }
    return 0;
}

/* The kernel address of user va in the current process, faulting the page in if needed. */
static uint8_t *user_address(uint64_t va, int write)
{
    pte_t *pte = vm_lookup(current->root, va);
    if (pte == 0) {
        if (vma_fault(current, va, write ? ACCESS_WRITE : ACCESS_READ) != 0) {
            return 0;
        }
        pte = vm_lookup(current->root, va);
    }
    if (!(*pte & (write ? PTE_W : PTE_R))) {
        return 0;
    }
    return (uint8_t *) PTE_PA(*pte) + (va & (PAGE_SIZE - 1));
}

static int copy_user(uint64_t va, uint8_t *kernel, size_t len, int write)
{
    while (len > 0) {
        uint8_t *u = user_address(va, write);
        if (u == 0) {
            return -1;
        }
        size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        n = n < len ? n : len;
        if (write) {
            memcpy(u, kernel, n);
        } else {
            memcpy(kernel, u, n);
        }
        va += n;
        kernel += n;
        len -= n;
    }
    return 0;
}

int copy_in(void *dst, uint64_t va, size_t len)
{
    return copy_user(va, dst, len, 0);
}

int copy_out(uint64_t va, const void *src, size_t len)
{
    return copy_user(va, (uint8_t *) src, len, 1);
}
