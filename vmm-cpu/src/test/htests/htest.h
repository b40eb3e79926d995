/*
 * Bare-metal H-extension test programs for VMMLab's hart and for qemu-system-riscv64 -M virt -cpu rv64,h=true
 * -bios none. Each starts in M-mode at 0x80000000 and ends by writing the SiFive test finisher at 0x100000:
 * 0x5555 = pass, (test number << 16) | 0x3333 = failure of that step (gp holds the step number).
 */
#define FINISHER 0x100000
#define MSTATUS_MPP (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPV (1 << 39)
#define MSTATUS_GVA (1 << 38)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_MXR (1 << 19)
#define MSTATUS_TVM (1 << 20)
#define SSTATUS_SIE 2
#define SSTATUS_SPP (1 << 8)
#define SSTATUS_SUM (1 << 18)
#define SSTATUS_MXR (1 << 19)
#define HSTATUS_GVA (1 << 6)
#define HSTATUS_SPV (1 << 7)
#define HSTATUS_SPVP (1 << 8)
#define HSTATUS_VTVM (1 << 20)
#define HSTATUS_VTW (1 << 21)
#define HSTATUS_VTSR (1 << 22)
#define INTERRUPT (1 << 63)
#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128

/* Sets the step number reported on failure. */
#define STEP(n) li gp, n

/* Fails the current step unless reg == value (t6 is scratch). */
#define EXPECT(reg, value) li t6, value; bne reg, t6, fail

/* Enters VS-mode (virtual = 1, mode = 1) or VU-mode (mode = 0) at label with MRET. */
#define ENTER(label, mode) \
    li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (mode << 11) | MSTATUS_MPV; csrs mstatus, t0; \
    la t0, label; csrw mepc, t0; mret

/* PMP entry 0 grants everything to S and U (QEMU refuses MRET to a lower mode while no PMP rule exists). */
#define TEST_BEGIN \
    .section .text.init; .globl _start; _start: \
    la t0, unexpected_trap; csrw mtvec, t0; li gp, 0; \
    li t0, -1; csrw pmpaddr0, t0; li t0, 0x1f; csrw pmpcfg0, t0;

#define TEST_END \
pass: li t0, FINISHER; li t1, 0x5555; sw t1, 0(t0); 1: j 1b; \
fail: li t0, FINISHER; slli t1, gp, 16; li t2, 0x3333; or t1, t1, t2; sw t1, 0(t0); 2: j 2b; \
    .align 2; unexpected_trap: ori gp, gp, 0x100; j fail;
