/* What happens on a trap, once the arch port has saved the registers and decoded the cause. */
#include "kernel.h"

volatile uint64_t ticks;
static uint64_t tick_interval, next_deadline;

void timer_init(uint64_t timebase, uint64_t hz)
{
    tick_interval = timebase / hz;
    next_deadline = arch_time() + tick_interval;
    arch_set_timer(next_deadline);
}

static void timer_tick(void)
{
    ticks++;
    next_deadline += tick_interval;
    uint64_t now = arch_time();
    if (next_deadline <= now) {
        next_deadline = now + tick_interval;  /* we fell behind: do not replay the missed ticks */
    }
    arch_set_timer(next_deadline);
    need_resched = 1;
}

void trap_user_syscall(struct trapframe *tf)
{
    tf->epc += 4; /* resume after the ecall */
    TF_A(tf, 0) = syscall_dispatch(tf);
}

void trap_user_timer(struct trapframe *tf)
{
    (void) tf;
    timer_tick();
}

void trap_user_external(struct trapframe *tf)
{
    (void) tf;
    plic_handle();
}

static const char *access_name(enum access access)
{
    return access == ACCESS_WRITE ? "write" : access == ACCESS_EXEC ? "exec" : "read";
}

void trap_user_page_fault(struct trapframe *tf, uint64_t va, enum access access)
{
    if (vma_fault(current, va, access) != 0) {
        kprintf("kernel: pid %d (%s) killed: %s page fault at va %p pc %p\n", current->pid, current->name,
                access_name(access), (void *) va, (void *) tf->epc);
        current->killed = 1;
    }
}

void trap_user_fatal(struct trapframe *tf, uint64_t cause, uint64_t value)
{
    kprintf("kernel: pid %d (%s) killed: cause %lx value %lx pc %p\n", current->pid, current->name, cause, value,
            (void *) tf->epc);
    current->killed = 1;
}

void trap_user_done(struct trapframe *tf)
{
    if (current->killed) {
        proc_exit(-1);
    }
    if (need_resched) {
        need_resched = 0;
        proc_yield();
        if (current->killed) {
            proc_exit(-1);
        }
    }
    arch_return_to_user(tf);
}

void trap_kernel_timer(void)
{
    timer_tick();
}

void trap_kernel_external(void)
{
    plic_handle();
}

void trap_kernel_fatal(uint64_t cause, uint64_t value, uint64_t pc)
{
    panic("kernel trap: cause %lx value %lx pc %p", cause, value, (void *) pc);
}
