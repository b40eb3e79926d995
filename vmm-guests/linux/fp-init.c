/*
 * VMMLab guest init for the floating-point kernel (build-linux.sh --fpu): two
 * processes use the F and D extensions across context switches.
 *
 * No libc: raw RISC-V Linux system calls through `ecall`. Built with
 *   riscv64-linux-gnu-gcc -static -nostdlib -ffreestanding -march=rv64imafdc \
 *       -mabi=lp64 -O2 -fno-pie -no-pie -fno-stack-protector -o fp-init fp-init.c
 * (hard-float instructions, soft-float calling convention: nothing here needs
 * a libc's FP ABI).
 *
 * Each process sums a series in double precision (1/k^2 in the child, 1/k^3 in
 * the parent), once before fork() and once after it while yielding the CPU
 * every 500 terms, so the kernel switches between the two with live f
 * registers (it saves them only when sstatus.FS says Dirty). Each prints the
 * result's bits and FP-OK when both sums are bit for bit equal, FP-BAD when
 * not. The parent then prints the isa line of /proc/cpuinfo and powers off.
 */

typedef unsigned long size_t;

#define SYS_mount        40
#define SYS_openat       56
#define SYS_read         63
#define SYS_write        64
#define SYS_exit         93
#define SYS_sched_yield 124
#define SYS_reboot      142
#define SYS_clone       220
#define SYS_wait4       260

#define AT_FDCWD  (-100)
#define SIGCHLD   17

#define LINUX_REBOOT_MAGIC1        0xfee1deadUL
#define LINUX_REBOOT_MAGIC2        672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

static long syscall5(long n, long a0, long a1, long a2, long a3, long a4)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a7)
                     : "memory");
    return r_a0;
}

static void out(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    syscall5(SYS_write, 1, (long)s, (long)n, 0, 0);
}

/* Appends text to a line buffer; returns the new end. */
static char *append(char *end, const char *text)
{
    while (*text)
        *end++ = *text++;
    return end;
}

static char *append_hex(char *end, unsigned long v)
{
    end = append(end, "0x");
    for (int i = 0; i < 16; i++) {
        int digit = (int)((v >> (60 - 4 * i)) & 15);
        *end++ = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
    }
    return end;
}

/* The sum of 1/k^power for k = 1..terms; yields the CPU every 500 terms when asked. */
static double series(int power, int terms, int yield)
{
    double sum = 0;
    for (int k = 1; k <= terms; k++) {
        double term = k;
        for (int i = 1; i < power; i++)
            term *= k;
        sum += 1.0 / term;
        if (yield && k % 500 == 0)
            syscall5(SYS_sched_yield, 0, 0, 0, 0, 0);
    }
    return sum;
}

static void print_isa(void)
{
    static char buf[4096];
    syscall5(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
    long fd = syscall5(SYS_openat, AT_FDCWD, (long)"/proc/cpuinfo", 0, 0, 0);
    long n = fd < 0 ? -1 : syscall5(SYS_read, fd, (long)buf, sizeof buf - 1, 0, 0);
    if (n <= 0)
        return;
    buf[n] = 0;
    for (char *line = buf; *line; ) {
        char *end = line;
        while (*end && *end != '\n')
            end++;
        if (line[0] == 'i' && line[1] == 's' && line[2] == 'a') {
            char saved = end[0];
            end[0] = 0;
            out("FP-INIT: ");
            out(line);
            out("\n");
            end[0] = saved;
            return;
        }
        line = *end ? end + 1 : end;
    }
}

void _start(void)
{
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop");
    double squares = series(2, 20000, 0);
    double cubes = series(3, 20000, 0);
    long pid = syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    int child = pid == 0;
    union { double d; unsigned long bits; } again = { series(child ? 2 : 3, 20000, 1) };
    /* One write per line: with two harts the processes print at the same time. */
    char line[64];
    char *end = append(line, child ? "FP-INIT: child " : "FP-INIT: parent ");
    end = append_hex(end, again.bits);
    end = append(end, again.d == (child ? squares : cubes) ? " FP-OK\n" : " FP-BAD\n");
    *end = 0;
    out(line);
    if (child)
        syscall5(SYS_exit, 0, 0, 0, 0, 0);
    int status;
    syscall5(SYS_wait4, -1, (long)&status, 0, 0, 0);
    print_isa();
    syscall5(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
    for (;;)
        ;
}
