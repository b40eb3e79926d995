/*
 * VMMLab guest init: a tiny static /init for the Linux 6.1 test kernel.
 *
 * No libc: raw RISC-V Linux system calls through `ecall`. Build with
 *   riscv64-linux-gnu-gcc -static -nostdlib -ffreestanding -march=rv64imac \
 *       -mabi=lp64 -O2 -fno-pie -no-pie -fno-stack-protector -o init init.c
 * (build-linux.sh does this). It uses no F/D instructions, so it runs on a
 * kernel built with CONFIG_FPU=n.
 *
 * It prints a few lines that a test can match, then syncs and powers the
 * machine off with reboot(LINUX_REBOOT_CMD_POWER_OFF), which the kernel turns
 * into an SBI SRST (system reset, shutdown) call.
 */

typedef unsigned long size_t;
typedef long ssize_t;

/* asm-generic/unistd.h numbers (riscv64 uses the generic table). */
#define SYS_mount             40
#define SYS_openat            56
#define SYS_close             57
#define SYS_read              63
#define SYS_write             64
#define SYS_sync              81
#define SYS_exit              93
#define SYS_clock_gettime    113
#define SYS_sched_getaffinity 123
#define SYS_reboot           142
#define SYS_uname            160
#define SYS_getpid           172

#define AT_FDCWD        (-100)
#define O_RDONLY        0
#define CLOCK_REALTIME  0
#define CLOCK_BOOTTIME  7

#define LINUX_REBOOT_MAGIC1        0xfee1deadUL
#define LINUX_REBOOT_MAGIC2        672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

static long syscall6(long n, long a0, long a1, long a2, long a3, long a4,
                     long a5)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5),
                       "r"(r_a7)
                     : "memory");
    return r_a0;
}

#define sys0(n)             syscall6((n), 0, 0, 0, 0, 0, 0)
#define sys1(n, a)          syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)       syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)    syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) \
    syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) \
    syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* ---- tiny output helpers (all output goes to fd 1 = /dev/console) ---- */

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void out(const char *s)
{
    size_t n = slen(s);
    while (n > 0) {
        long r = sys3(SYS_write, 1, s, n);
        if (r <= 0)
            return;
        s += r;
        n -= (size_t)r;
    }
}

static void out_ulong(unsigned long v)
{
    char buf[24];
    int i = sizeof(buf) - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    out(&buf[i]);
}

/* Prints a /proc/cpuinfo line's value ("key\t: value") after a label; nothing when the line is absent. */
static void out_cpuinfo_value(const char *label, const char *line)
{
    if (!line)
        return;
    const char *v = line;
    while (*v && *v != ':')
        v++;
    if (*v == ':')
        v++;
    while (*v == ' ' || *v == '\t')
        v++;
    const char *e = v;
    while (*e && *e != '\n')
        e++;
    out(label);
    sys3(SYS_write, 1, v, e - v);
    out("\n");
}

static void out_long(long v)
{
    if (v < 0) {
        out("-");
        out_ulong((unsigned long)(-v));
    } else {
        out_ulong((unsigned long)v);
    }
}

/* Reads a whole (small) file into buf, NUL-terminated; returns length or <0. */
static long read_file(const char *path, char *buf, size_t cap)
{
    long fd = sys4(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    size_t len = 0;
    while (len + 1 < cap) {
        long r = sys3(SYS_read, fd, buf + len, cap - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = 0;
    sys1(SYS_close, fd);
    return (long)len;
}

static int starts_with(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

/* ---- data ---- */

struct utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};

struct timespec {
    long tv_sec;
    long tv_nsec;
};

static struct utsname uts;
static char filebuf[8192];
static unsigned long cpumask[16]; /* 1024 CPUs, far more than NR_CPUS */

static void power_off(void)
{
    out("VMMLAB-INIT: powering off\n");
    sys0(SYS_sync);
    long r = sys4(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                  LINUX_REBOOT_CMD_POWER_OFF, 0);
    /* Only reached if reboot failed. */
    out("VMMLAB-INIT: reboot(POWER_OFF) failed: ");
    out_long(r);
    out("\n");
    for (;;)
        sys1(SYS_exit, 1);
}

/* Prints seconds since the Unix epoch as a UTC date, YYYY-MM-DD (proleptic Gregorian calendar). */
static void out_date(unsigned long seconds)
{
    long days = (long)(seconds / 86400UL) + 719468; /* days since 0000-03-01 */
    long era = days / 146097;
    long day_of_era = days - era * 146097;
    long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long mp = (5 * day_of_year + 2) / 153;
    long day = day_of_year - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = year_of_era + era * 400 + (month <= 2);
    out_long(year);
    out(month < 10 ? "-0" : "-");
    out_long(month);
    out(day < 10 ? "-0" : "-");
    out_long(day);
}

void init_main(void)
{
    out("VMMLAB-INIT: hello from user space\n");

    struct timespec ts;
    if (sys2(SYS_clock_gettime, CLOCK_BOOTTIME, &ts) == 0) {
        out("VMMLAB-INIT: uptime-ms ");
        out_ulong((unsigned long)ts.tv_sec * 1000UL +
                  (unsigned long)ts.tv_nsec / 1000000UL);
        out("\n");
    }

    /* The wall clock, which the kernel set from the board's real-time clock at boot (1970 without one). */
    if (sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts) == 0) {
        out("VMMLAB-INIT: date ");
        out_date((unsigned long)ts.tv_sec);
        out("\n");
    }

    out("VMMLAB-INIT: pid ");
    out_long(sys0(SYS_getpid));
    out("\n");

    if (sys1(SYS_uname, &uts) == 0) {
        out("VMMLAB-INIT: uname ");
        out(uts.sysname);
        out(" ");
        out(uts.release);
        out(" ");
        out(uts.machine);
        out("\n");
    }

    long n = sys3(SYS_sched_getaffinity, 0, sizeof(cpumask), cpumask);
    if (n > 0) {
        unsigned long cpus = 0;
        for (long i = 0; i < n / (long)sizeof(unsigned long); i++)
            for (unsigned long w = cpumask[i]; w; w &= w - 1)
                cpus++;
        out("VMMLAB-INIT: online cpus ");
        out_ulong(cpus);
        out("\n");
    }

    /* /proc: count the harts the kernel brought up. */
    if (sys5(SYS_mount, "proc", "/proc", "proc", 0, 0) == 0 &&
        read_file("/proc/cpuinfo", filebuf, sizeof(filebuf)) > 0) {
        unsigned long harts = 0;
        const char *isa = 0;
        const char *mmu = 0;
        for (char *p = filebuf; *p;) {
            if (starts_with(p, "processor"))
                harts++;
            if (!isa && starts_with(p, "isa"))
                isa = p;
            if (!mmu && starts_with(p, "mmu"))
                mmu = p;
            while (*p && *p != '\n')
                p++;
            if (*p == '\n')
                p++;
        }
        out("VMMLAB-INIT: /proc/cpuinfo harts ");
        out_ulong(harts);
        out("\n");
        out_cpuinfo_value("VMMLAB-INIT: isa ", isa);
        /* The paging mode the kernel chose: the largest the hart's satp accepts. */
        out_cpuinfo_value("VMMLAB-INIT: mmu ", mmu);
    } else {
        out("VMMLAB-INIT: cannot read /proc/cpuinfo\n");
    }

    /* /sys: report the first virtio block device if one is attached. */
    if (sys5(SYS_mount, "sysfs", "/sys", "sysfs", 0, 0) == 0) {
        long len = read_file("/sys/block/vda/size", filebuf, sizeof(filebuf));
        if (len > 0) {
            if (filebuf[len - 1] == '\n')
                filebuf[len - 1] = 0;
            out("VMMLAB-INIT: vda sectors ");
            out(filebuf);
            out("\n");
        } else {
            out("VMMLAB-INIT: no vda\n");
        }
    }

    /* An external initrd (--initrd) is unpacked over the built-in initramfs; report its marker file if any. */
    {
        long len = read_file("/vmmlab-initrd.txt", filebuf, sizeof(filebuf));
        if (len > 0) {
            if (filebuf[len - 1] == '\n')
                filebuf[len - 1] = 0;
            out("VMMLAB-INIT: initrd says ");
            out(filebuf);
            out("\n");
        }
    }

    power_off();
}

/*
 * Entry point. The kernel starts us with sp pointing at argc; gp must be
 * set up by us because the linker may relax accesses against it.
 */
__asm__(".section .text._start,\"ax\",@progbits\n"
        ".globl _start\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  la gp, __global_pointer$\n"
        ".option pop\n"
        "  andi sp, sp, -16\n"
        "  call init_main\n"
        "1: li a7, 93\n"
        "  li a0, 0\n"
        "  ecall\n"
        "  j 1b\n");
