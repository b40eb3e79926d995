/*
 * Physical pages (a free list over the RAM the device tree describes) and Sv39 page tables.
 *
 * Every address space shares the kernel's mappings: gigapages mapping RAM (0x80000000 up, RWX) and
 * the first gigabyte of devices (RW) one to one, kernel-only. User memory lives in the second
 * gigabyte, [USER_BASE, USER_TOP), through per-process second- and third-level tables.
 * All page-table writes go through arch_pte_set so a paravirtual port can validate them.
 */
#include "kernel.h"

extern char __kernel_end[];

struct free_page { struct free_page *next; };
static struct free_page *free_list;
static uint64_t free_count;

void page_init(uint64_t ram_base, uint64_t ram_size, uint64_t fdt, uint64_t fdt_size)
{
    uint64_t fdt_start = PAGE_DOWN(fdt), fdt_end = PAGE_UP(fdt + fdt_size);
    /* push from the top down, so allocation runs upward from the kernel */
    for (uint64_t a = PAGE_DOWN(ram_base + ram_size) - PAGE_SIZE; a >= PAGE_UP((uint64_t) __kernel_end); a -= PAGE_SIZE) {
        if (a >= fdt_start && a < fdt_end) {
            continue;
        }
        page_free((void *) a);
    }
}

void *page_alloc(void)
{
    struct free_page *p = free_list;
    if (p == 0) {
        return 0;
    }
    free_list = p->next;
    free_count--;
    memset(p, 0, PAGE_SIZE);
    return p;
}

void page_free(void *page)
{
    struct free_page *p = page;
    p->next = free_list;
    free_list = p;
    free_count++;
}

uint64_t pages_free(void)
{
    return free_count;
}

pte_t *kernel_root;

#define GIGA (1ul << 30)
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 511)

void vm_init(uint64_t ram_base, uint64_t ram_size)
{
    kernel_root = page_alloc();
    if (kernel_root == 0) {
        panic("no memory for the kernel page table");
    }
    arch_pt_page_new(kernel_root, 2);
    /* devices: 0 .. 1 GiB */
    arch_pte_set(&kernel_root[0], PA_PTE(0) | PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D);
    for (uint64_t a = ram_base & ~(GIGA - 1); a < ram_base + ram_size; a += GIGA) {
        arch_pte_set(&kernel_root[VPN(a, 2)], PA_PTE(a) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D);
    }
    arch_pt_commit();
    arch_switch_address_space(kernel_root);
}

pte_t *vm_create(void)
{
    pte_t *root = page_alloc();
    if (root == 0) {
        return 0;
    }
    arch_pt_page_new(root, 2);
    for (int i = 0; i < 512; i++) {
        if (kernel_root[i] & PTE_V) {
            arch_pte_set(&root[i], kernel_root[i]);
        }
    }
    arch_pt_commit();
    return root;
}

/* The leaf entry for va, creating the intermediate tables if create is set. */
static pte_t *walk(pte_t *root, uint64_t va, int create)
{
    pte_t *table = root;
    for (int level = 2; level > 0; level--) {
        pte_t *entry = &table[VPN(va, level)];
        if (*entry & PTE_V) {
            table = (pte_t *) PTE_PA(*entry);
            continue;
        }
        if (!create) {
            return 0;
        }
        pte_t *next = page_alloc();
        if (next == 0) {
            return 0;
        }
        arch_pt_page_new(next, level - 1);
        arch_pte_set(entry, PA_PTE(next) | PTE_V);
        table = next;
    }
    return &table[VPN(va, 0)];
}

static int user_va(uint64_t va)
{
    return va >= USER_BASE && va < USER_TOP;
}

pte_t *vm_lookup(pte_t *root, uint64_t va)
{
    if (!user_va(va)) {
        return 0;
    }
    pte_t *pte = walk(root, va, 0);
    return pte != 0 && (*pte & PTE_V) ? pte : 0;
}

int vm_map(pte_t *root, uint64_t va, void *page, uint64_t perm)
{
    pte_t *pte = user_va(va) ? walk(root, va, 1) : 0;
    if (pte == 0) {
        return -1;
    }
    arch_pte_set(pte, PA_PTE(page) | perm | PTE_V | PTE_U | PTE_A | PTE_D);
    arch_pt_commit();
    arch_flush_tlb_page(va);
    return 0;
}

void vm_unmap(pte_t *root, uint64_t va)
{
    pte_t *pte = vm_lookup(root, va);
    if (pte == 0) {
        return;
    }
    void *page = (void *) PTE_PA(*pte);
    arch_pte_set(pte, 0);
    arch_pt_commit();
    arch_flush_tlb_page(va);
    page_free(page);
}

void vm_protect(pte_t *root, uint64_t va, uint64_t perm)
{
    pte_t *pte = vm_lookup(root, va);
    if (pte != 0) {
        arch_pte_set(pte, (*pte & ~(PTE_R | PTE_W | PTE_X)) | perm);
        arch_pt_commit();
        arch_flush_tlb_page(va);
    }
}

/* Visit every mapped user page: fn(leaf entry, va, arg). */
static int for_each_user_page(pte_t *root, int (*fn)(pte_t *, uint64_t, void *), void *arg)
{
    for (uint64_t i2 = VPN(USER_BASE, 2); i2 < VPN(USER_TOP - 1, 2) + 1; i2++) {
        if (!(root[i2] & PTE_V)) {
            continue;
        }
        pte_t *l1 = (pte_t *) PTE_PA(root[i2]);
        for (uint64_t i1 = 0; i1 < 512; i1++) {
            if (!(l1[i1] & PTE_V)) {
                continue;
            }
            pte_t *l0 = (pte_t *) PTE_PA(l1[i1]);
            for (uint64_t i0 = 0; i0 < 512; i0++) {
                if ((l0[i0] & PTE_V) && fn(&l0[i0], i2 << 30 | i1 << 21 | i0 << 12, arg) != 0) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

static int copy_page(pte_t *pte, uint64_t va, void *to_root)
{
    void *page = page_alloc();
    if (page == 0) {
        return -1;
    }
    memcpy(page, (void *) PTE_PA(*pte), PAGE_SIZE);
    if (vm_map(to_root, va, page, *pte & (PTE_R | PTE_W | PTE_X)) != 0) {
        page_free(page);
        return -1;
    }
    return 0;
}

int vm_copy(pte_t *to, pte_t *from)
{
    return for_each_user_page(from, copy_page, to);
}

void vm_destroy(pte_t *root)
{
    for (uint64_t i2 = VPN(USER_BASE, 2); i2 < VPN(USER_TOP - 1, 2) + 1; i2++) {
        if (!(root[i2] & PTE_V)) {
            continue;
        }
        pte_t *l1 = (pte_t *) PTE_PA(root[i2]);
        for (uint64_t i1 = 0; i1 < 512; i1++) {
            if (!(l1[i1] & PTE_V)) {
                continue;
            }
            pte_t *l0 = (pte_t *) PTE_PA(l1[i1]);
            for (uint64_t i0 = 0; i0 < 512; i0++) {
                if (l0[i0] & PTE_V) {
                    page_free((void *) PTE_PA(l0[i0]));
                }
            }
            arch_pt_page_free(l0);
            page_free(l0);
        }
        arch_pt_page_free(l1);
        page_free(l1);
    }
    arch_pt_page_free(root);
    page_free(root);
}
