/* The generic kernel: declarations shared by its files. Nothing here is architecture-specific
 * beyond Sv39's page-table format; privileged operations go through arch/arch.h. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "arch/arch.h"
#include "abi.h"

#define PAGE_SIZE 4096ul
#define PAGE_DOWN(a) ((uint64_t) (a) & ~(PAGE_SIZE - 1))
#define PAGE_UP(a) PAGE_DOWN((uint64_t) (a) + PAGE_SIZE - 1)

/* lib.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
void kprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* fdt.c: what the kernel needs from the device tree */
#define MAX_VIRTIO 8
struct boot_info {
    uint64_t ram_base, ram_size;
    uint64_t timebase;
    char bootargs[512];
    int virtio_count;
    uint64_t virtio_base[MAX_VIRTIO];
    uint32_t virtio_irq[MAX_VIRTIO];
    uint64_t fdt_size;
};
void fdt_parse(const void *fdt, struct boot_info *info);

/* mm.c: physical pages and Sv39 page tables */
#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_PA(pte) (((pte) >> 10) << 12)
#define PA_PTE(pa) (((uint64_t) (pa) >> 12) << 10)
void page_init(uint64_t ram_base, uint64_t ram_size, uint64_t fdt, uint64_t fdt_size);
void *page_alloc(void);   /* zeroed; 0 when memory runs out */
void page_free(void *page);
uint64_t pages_free(void);
extern pte_t *kernel_root;
void vm_init(uint64_t ram_base, uint64_t ram_size);
pte_t *vm_create(void);                                    /* kernel mappings only */
void vm_destroy(pte_t *root);                              /* frees user pages and tables */
pte_t *vm_lookup(pte_t *root, uint64_t va);                /* leaf entry of a mapped page, or 0 */
int vm_map(pte_t *root, uint64_t va, void *page, uint64_t perm); /* perm: PTE_R/W/X */
void vm_unmap(pte_t *root, uint64_t va);                   /* frees the page if mapped */
void vm_protect(pte_t *root, uint64_t va, uint64_t perm);  /* if mapped */
int vm_copy(pte_t *to, pte_t *from);                       /* copies every user page */

/* proc.c */
#define NPROC 16
#define NVMA 16
#define KSTACK_SIZE 8192
enum proc_state { UNUSED, RUNNABLE, RUNNING, SLEEPING, ZOMBIE };
struct context { uint64_t ra, sp, s[12]; };
struct vma { uint64_t start, end; int prot; };  /* end == 0: slot free */
struct proc {
    struct trapframe tf;            /* first: the trap entry finds it through sscratch */
    struct context context;
    enum proc_state state;
    int pid;
    struct proc *parent;
    int killed;
    int exit_status;
    void *sleeping_on;
    pte_t *root;
    uint64_t heap_base, brk;
    struct vma vmas[NVMA];
    char name[16];
    uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
};
extern struct proc *current;
extern volatile uint64_t need_resched;
struct proc *proc_spawn(const char *name, uint64_t arg);  /* a new process running user program `name` */
int proc_fork(void);
void proc_exit(int status) __attribute__((noreturn));
int proc_wait(uint64_t status_va);
void proc_yield(void);
void proc_sleep(void *channel);
void proc_wakeup(void *channel);
void proc_free(struct proc *p);
void scheduler_run_until_exit(struct proc *p);             /* runs processes until p is a zombie */
int vma_fault(struct proc *p, uint64_t va, enum access access); /* 0 when a page was mapped */
int copy_in(void *dst, uint64_t va, size_t len);           /* current process's memory; 0 or -1 */
int copy_out(uint64_t va, const void *src, size_t len);
void swtch(struct context *from, struct context *to);

/* syscall.c */
uint64_t syscall_dispatch(struct trapframe *tf);

/* trap.c */
extern volatile uint64_t ticks;
void timer_init(uint64_t timebase, uint64_t hz);

/* plic.c + virtio_blk.c */
void plic_init(uint64_t hartid);
void plic_enable(uint32_t irq);
void plic_handle(void);
void virtio_init(const struct boot_info *info);
int64_t blk_capacity(void);                         /* sectors, or -1 without a disk */
int blk_rw(uint64_t sector, void *buffer, uint32_t count, int write);
uint64_t mmio_read_exercise(uint64_t count);

/* user_images.S */
struct user_image { const char *name; const uint8_t *start; const uint8_t *end; };
const struct user_image *user_image_find(const char *name);

#endif
