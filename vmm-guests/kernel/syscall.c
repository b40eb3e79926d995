/* System calls: the numbers and their contracts are in abi.h. */
#include "kernel.h"

#define HEAP_LIMIT 0x60000000ul   /* the heap grows up to here; mmap regions start here */
#define MMAP_LIMIT (USER_TOP - (1ul << 20) - PAGE_SIZE)

static int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 1 && fd != 2) {
        return -1;
    }
    char chunk[128];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (copy_in(chunk, buf + done, n) != 0) {
            return -1;
        }
        arch_console_write(chunk, n);
        done += n;
    }
    return (int64_t) len;
}

static int64_t sys_sbrk(int64_t increment)
{
    struct proc *p = current;
    uint64_t old = p->brk, new = old + (uint64_t) increment;
    if (new < p->heap_base || new > HEAP_LIMIT) {
        return -1;
    }
    for (uint64_t va = PAGE_UP(new); va < PAGE_UP(old); va += PAGE_SIZE) {
        vm_unmap(p->root, va);  /* shrinking: give the pages back */
    }
    p->brk = new;
    return (int64_t) old;
}

static struct vma *vma_exact(uint64_t addr, uint64_t length)
{
    for (int i = 0; i < NVMA; i++) {
        struct vma *v = &current->vmas[i];
        if (v->end != 0 && v->start == addr && v->end == PAGE_UP(addr + length)) {
            return v;
        }
    }
    return 0;
}

static int64_t sys_mmap(uint64_t length, int prot)
{
    length = PAGE_UP(length);
    if (length == 0) {
        return -1;
    }
    /* first fit above HEAP_LIMIT */
    uint64_t start = HEAP_LIMIT;
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < NVMA; i++) {
            struct vma *v = &current->vmas[i];
            if (v->end != 0 && start < v->end && start + length > v->start) {
                start = v->end;
                again = 1;
            }
        }
    }
    if (start + length > MMAP_LIMIT) {
        return -1;
    }
    for (int i = 0; i < NVMA; i++) {
        if (current->vmas[i].end == 0) {
            current->vmas[i] = (struct vma) { start, start + length, prot };
            return (int64_t) start;
        }
    }
    return -1;
}

static int64_t sys_munmap(uint64_t addr, uint64_t length)
{
    struct vma *v = vma_exact(addr, length);
    if (v == 0) {
        return -1;
    }
    for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
        vm_unmap(current->root, va);
    }
    v->start = v->end = 0;
    return 0;
}

static int64_t sys_mprotect(uint64_t addr, uint64_t length, int prot)
{
    struct vma *v = vma_exact(addr, length);
    if (v == 0) {
        return -1;
    }
    v->prot = prot;
    uint64_t perm = (prot & PROT_READ ? PTE_R : 0) | (prot & PROT_WRITE ? PTE_R | PTE_W : 0) | (prot & PROT_EXEC ? PTE_X : 0);
    for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
        vm_protect(current->root, va, perm);
    }
    return 0;
}

static int64_t sys_blkrw(uint64_t sector, uint64_t buf, uint64_t count, int write)
{
    static uint8_t bounce[8 * 512];
    static int busy;        /* one request at a time owns the bounce buffer */
    if (count == 0 || count > 8) {
        return -1;
    }
    while (busy) {
        proc_sleep(&busy);
    }
    busy = 1;
    int64_t result = -1;
    if ((!write || copy_in(bounce, buf, count * 512) == 0)
        && blk_rw(sector, bounce, (uint32_t) count, write) == 0
        && (write || copy_out(buf, bounce, count * 512) == 0)) {
        result = 0;
    }
    busy = 0;
    proc_wakeup(&busy);
    return result;
}

uint64_t syscall_dispatch(struct trapframe *tf)
{
    uint64_t a0 = TF_A(tf, 0), a1 = TF_A(tf, 1), a2 = TF_A(tf, 2), a3 = TF_A(tf, 3);
    switch (TF_A7(tf)) {
    case SYS_write: return (uint64_t) sys_write(a0, a1, a2);
    case SYS_exit: proc_exit((int) a0);
    case SYS_getpid: return (uint64_t) current->pid;
    case SYS_fork: return (uint64_t) (int64_t) proc_fork();
    case SYS_wait: return (uint64_t) (int64_t) proc_wait(a0);
    case SYS_yield: proc_yield(); return 0;
    case SYS_sbrk: return (uint64_t) sys_sbrk((int64_t) a0);
    case SYS_uptime: return ticks;
    case SYS_mmap: return (uint64_t) sys_mmap(a0, (int) a1);
    case SYS_munmap: return (uint64_t) sys_munmap(a0, a1);
    case SYS_mprotect: return (uint64_t) sys_mprotect(a0, a1, (int) a2);
    case SYS_devread: return mmio_read_exercise(a0);
    case SYS_privreg: return arch_privreg_exercise(a0);
    case SYS_blkinfo: return (uint64_t) blk_capacity();
    case SYS_blkrw: return (uint64_t) sys_blkrw(a0, a1, a2, (int) a3);
    default: return (uint64_t) -1;
    }
}
