/* Reads the flattened device tree (DTSpec v0.3, structure block tokens) for RAM, the timebase,
 * the command line (/chosen bootargs) and the virtio-mmio transports. Assumes #address-cells and
 * #size-cells of 2 for memory and devices, as on QEMU's virt board and VMMLab's board. */
#include "kernel.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
    return (uint64_t) be32(p) << 32 | be32((const uint8_t *) p + 4);
}

static int has_string(const char *list, uint32_t length, const char *wanted)
{
    size_t n = strlen(wanted);
    for (uint32_t i = 0; i < length; i += (uint32_t) strlen(list + i) + 1) {
        if (strlen(list + i) == n && strncmp(list + i, wanted, n) == 0) {
            return 1;
        }
    }
    return 0;
}

void fdt_parse(const void *fdt, struct boot_info *info)
{
    const uint8_t *base = fdt;
    if (fdt == 0 || be32(base) != FDT_MAGIC) {
        panic("no device tree at %p", fdt);
    }
    info->fdt_size = be32(base + 4);
    const uint8_t *p = base + be32(base + 8);
    const char *strings = (const char *) base + be32(base + 12);

    int depth = 0;
    const char *node = "";          /* name of the innermost node */
    int in_chosen = 0, in_cpus = 0, in_memory = 0;
    /* the current leaf node, committed at its end if it is a virtio-mmio transport */
    int is_virtio = 0;
    uint64_t reg = 0;
    uint32_t irq = 0;

    for (;;) {
        uint32_t token = be32(p);
        p += 4;
        if (token == FDT_BEGIN_NODE) {
            node = (const char *) p;
            p += (strlen(node) + 1 + 3) & ~3ul;
            depth++;
            if (depth == 2) {
                in_chosen = strncmp(node, "chosen", 7) == 0;
                in_cpus = strncmp(node, "cpus", 5) == 0;
                in_memory = strncmp(node, "memory", 6) == 0;
            }
            is_virtio = 0;
            reg = 0;
            irq = 0;
        } else if (token == FDT_END_NODE) {
            if (is_virtio && info->virtio_count < MAX_VIRTIO) {
                /* keep them sorted by address: slot 0 first */
                int i = info->virtio_count++;
                while (i > 0 && info->virtio_base[i - 1] > reg) {
                    info->virtio_base[i] = info->virtio_base[i - 1];
                    info->virtio_irq[i] = info->virtio_irq[i - 1];
                    i--;
                }
                info->virtio_base[i] = reg;
                info->virtio_irq[i] = irq;
            }
            is_virtio = 0;
            if (depth == 2) {
                in_chosen = in_cpus = in_memory = 0;
            }
            depth--;
        } else if (token == FDT_PROP) {
            uint32_t length = be32(p);
            const char *name = strings + be32(p + 4);
            const uint8_t *value = p + 8;
            p += 8 + ((length + 3) & ~3u);
            if (in_chosen && depth == 2 && strncmp(name, "bootargs", 9) == 0) {
                uint32_t n = length < sizeof info->bootargs ? length : sizeof info->bootargs - 1;
                memcpy(info->bootargs, value, n);
                info->bootargs[n] = '\0';
            } else if (in_cpus && depth == 2 && strncmp(name, "timebase-frequency", 19) == 0) {
                info->timebase = length == 8 ? be64(value) : be32(value);
            } else if (in_memory && depth == 2 && strncmp(name, "reg", 4) == 0 && length >= 16
                       && info->ram_size == 0) {
                info->ram_base = be64(value);
                info->ram_size = be64(value + 8);
            } else if (strncmp(name, "compatible", 11) == 0 && has_string((const char *) value, length, "virtio,mmio")) {
                is_virtio = 1;
            } else if (strncmp(name, "reg", 4) == 0 && length >= 8) {
                reg = be64(value);
            } else if (strncmp(name, "interrupts", 11) == 0 && length >= 4) {
                irq = be32(value);
            }
        } else if (token == FDT_NOP) {
            continue;
        } else {
            break; /* FDT_END or garbage */
        }
    }
}
