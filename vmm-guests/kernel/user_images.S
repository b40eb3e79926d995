/* The user programs, linked separately (build/user/<name>.elf) and embedded here. The Makefile
 * passes the directory holding them with -Wa,-I. Each entry of user_images: name, start, end. */
#define IMAGE(sym, file) \
    .section .rodata.user, "a", @progbits; \
    .balign 8; \
sym##_start: .incbin file; \
sym##_end: ; \
    .section .rodata.user_names, "a", @progbits; \
sym##_name: .string #sym

IMAGE(nullcall, "nullcall.elf")
IMAGE(pagefault, "pagefault.elf")
IMAGE(ptmod, "ptmod.elf")
IMAGE(mmio, "mmio.elf")
IMAGE(privreg, "privreg.elf")
IMAGE(ctxswitch, "ctxswitch.elf")
IMAGE(forkwait, "forkwait.elf")
IMAGE(compute, "compute.elf")
IMAGE(blockio, "blockio.elf")

#define ENTRY(sym) .dword sym##_name, sym##_start, sym##_end

    .section .rodata.user_table, "a", @progbits
    .balign 8
    .globl user_images
user_images:
    ENTRY(nullcall)
    ENTRY(pagefault)
    ENTRY(ptmod)
    ENTRY(mmio)
    ENTRY(privreg)
    ENTRY(ctxswitch)
    ENTRY(forkwait)
    ENTRY(compute)
    ENTRY(blockio)
    .dword 0, 0, 0
