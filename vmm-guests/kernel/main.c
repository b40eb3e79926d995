/*
 * Boot and the suite driver: read the device tree, set up memory, timer and disk, then run the
 * selected workloads one after another, each as a fresh user process, and power off.
 *
 * Command line (/chosen bootargs), space separated:
 *   scale=N            multiply every default iteration count by N (default 1)
 *   workloads=a,b,...  run these, in this order (default: all, in the table's order)
 *   <workload>=N       iteration count of one workload (overrides scale)
 *   hz=N               timer interrupts per second (default 100)
 */
#include "kernel.h"

struct workload { const char *name; uint64_t iterations; };

/* Default iteration counts (scale=1): the whole suite takes well under a second of guest time on
 * QEMU TCG and a few seconds on VMMLab's interpreter. blockio needs a disk of at least 512 KiB. */
static const struct workload workloads[] = {
    { "nullcall", 50000 },
    { "pagefault", 4096 },
    { "ptmod", 1024 },
    { "mmio", 20000 },
    { "privreg", 20000 },
    { "ctxswitch", 5000 },
    { "forkwait", 300 },
    { "compute", 2 },
    { "blockio", 1024 },
};
#define WORKLOAD_COUNT (sizeof workloads / sizeof workloads[0])

static struct boot_info boot;

static uint64_t parse_number(const char *s, size_t length)
{
    uint64_t v = 0;
    for (size_t i = 0; i < length && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (uint64_t) (s[i] - '0');
    }
    return v;
}

/* The value of key=... in the command line, or 0; its length goes to *length. */
static const char *option(const char *key, size_t *length)
{
    size_t key_length = strlen(key);
    for (const char *p = boot.bootargs; *p != '\0';) {
        while (*p == ' ') {
            p++;
        }
        const char *end = p;
        while (*end != '\0' && *end != ' ') {
            end++;
        }
        if ((size_t) (end - p) > key_length && strncmp(p, key, key_length) == 0 && p[key_length] == '=') {
            *length = (size_t) (end - p) - key_length - 1;
            return p + key_length + 1;
        }
        p = end;
    }
    return 0;
}

static uint64_t option_number(const char *key, uint64_t fallback)
{
    size_t length;
    const char *value = option(key, &length);
    return value != 0 ? parse_number(value, length) : fallback;
}

static int run_workload(const struct workload *w, uint64_t scale)
{
    uint64_t iterations = option_number(w->name, w->iterations * scale);
    struct proc *p = proc_spawn(w->name, iterations);
    if (p == 0) {
        kprintf("RESULT name=%s iters=%lu check=FAIL reason=spawn\n", w->name, iterations);
        return 0;
    }
    scheduler_run_until_exit(p);
    int status = p->exit_status;
    proc_free(p);
    if (status == -1) {
        /* killed before it could report */
        kprintf("RESULT name=%s iters=%lu check=FAIL reason=killed\n", w->name, iterations);
    }
    return status == 0;
}

void kernel_main(uint64_t hartid, const void *fdt) __attribute__((noreturn));
void kernel_main(uint64_t hartid, const void *fdt)
{
    arch_init(hartid);
    fdt_parse(fdt, &boot);
    if (boot.ram_size == 0) {
        panic("no memory node in the device tree");
    }
    if (boot.timebase == 0) {
        boot.timebase = 10000000;
    }
    page_init(boot.ram_base, boot.ram_size, (uint64_t) fdt, boot.fdt_size);
    vm_init(boot.ram_base, boot.ram_size);
    kprintf("vmmlab kernel: hart %lu, RAM %p + %lu MiB, %lu free pages, timebase %lu Hz\n", hartid,
            (void *) boot.ram_base, boot.ram_size >> 20, pages_free(), boot.timebase);
    kprintf("bootargs: %s\n", boot.bootargs);

    plic_init(hartid);
    virtio_init(&boot);
    timer_init(boot.timebase, option_number("hz", 100) ?: 100);
    arch_irq_sources_enable();

    uint64_t scale = option_number("scale", 1);
    size_t length;
    const char *selection = option("workloads", &length);
    int results = 0, failed = 0;
    uint64_t free_before = pages_free();
    if (selection == 0) {
        for (size_t i = 0; i < WORKLOAD_COUNT; i++) {
            results++;
            failed += !run_workload(&workloads[i], scale);
        }
    } else {
        for (const char *p = selection, *end = selection + length; p < end;) {
            const char *comma = p;
            while (comma < end && *comma != ',') {
                comma++;
            }
            size_t n = (size_t) (comma - p);
            const struct workload *w = 0;
            for (size_t i = 0; i < WORKLOAD_COUNT; i++) {
                if (strlen(workloads[i].name) == n && strncmp(workloads[i].name, p, n) == 0) {
                    w = &workloads[i];
                }
            }
            if (n > 0) {
                results++;
                if (w != 0) {
                    failed += !run_workload(w, scale);
                } else {
                    char name[32];
                    n = n < sizeof name - 1 ? n : sizeof name - 1;
                    memcpy(name, p, n);
                    name[n] = '\0';
                    kprintf("RESULT name=%s iters=0 check=FAIL reason=unknown-workload\n", name);
                    failed++;
                }
            }
            p = comma + 1;
        }
    }
    kprintf("SUITE done results=%d failed=%d ticks=%lu leaked_pages=%ld\n", results, failed, ticks,
            (int64_t) (free_before - pages_free()));
    arch_shutdown(failed != 0);
}
