/*
 * The PLIC (S-mode context of the boot hart) and a virtio-blk driver over virtio-mmio
 * (virtio 1.x "version 2" registers; QEMU's legacy "version 1" layout is accepted too).
 * One request in flight; the caller sleeps until the completion interrupt. Device registers are
 * reached through arch_mmio_read32/arch_mmio_write32 (a plain access natively, a hypercall under PV).
 */
#include "kernel.h"

/* ---- PLIC ---- */
#define PLIC_BASE 0x0c000000ul
#define PLIC_PRIORITY(irq) (PLIC_BASE + 4ul * (irq))
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000ul + 0x80ul * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000ul + 0x1000ul * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_THRESHOLD(ctx) + 4)
#define UART_IRQ 10


static uint64_t plic_context;

void plic_init(uint64_t hartid)
{
    plic_context = 2 * hartid + 1;  /* contexts alternate M, S per hart on virt */
    arch_mmio_write32(PLIC_THRESHOLD(plic_context), 0);
    /* priority of the UART's source: never enabled, but read back by the mmio workload without a disk */
    arch_mmio_write32(PLIC_PRIORITY(UART_IRQ), 1);
}

void plic_enable(uint32_t irq)
{
    arch_mmio_write32(PLIC_PRIORITY(irq), 1);
    uint64_t enable = PLIC_ENABLE(plic_context) + 4 * (irq / 32);
    arch_mmio_write32(enable, arch_mmio_read32(enable) | 1u << (irq % 32));
}

static void virtio_blk_interrupt(void);
static uint32_t blk_irq;

void plic_handle(void)
{
    uint32_t irq;
    while ((irq = arch_mmio_read32(PLIC_CLAIM(plic_context))) != 0) {
        if (irq == blk_irq) {
            virtio_blk_interrupt();
        }
        arch_mmio_write32(PLIC_CLAIM(plic_context), irq);
    }
}

/* ---- virtio-mmio ---- */
#define VIRTIO_MAGIC 0x74726976u   /* "virt" */
#define VIRTIO_MMIO_MAGIC 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028  /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c      /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040        /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG 0x100

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_ID_BLOCK 2

#define QUEUE_SIZE 8
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1

struct virtq_desc { uint64_t addr; uint32_t len; uint16_t flags; uint16_t next; };
struct virtq_avail { uint16_t flags, idx, ring[QUEUE_SIZE], used_event; };
struct virtq_used_elem { uint32_t id, len; };
struct virtq_used { uint16_t flags, idx; struct virtq_used_elem ring[QUEUE_SIZE]; uint16_t avail_event; };
struct blk_request { uint32_t type, reserved; uint64_t sector; };

/* Two pages, so the legacy layout (used ring on the next page boundary) also fits. */
static uint8_t queue_memory[2 * 4096] __attribute__((aligned(4096)));
static struct virtq_desc *desc = (struct virtq_desc *) queue_memory;
static struct virtq_avail *avail = (struct virtq_avail *) (queue_memory + QUEUE_SIZE * 16);
static struct virtq_used *used = (struct virtq_used *) (queue_memory + 4096);

static uint64_t blk_base;        /* 0: no disk */
static uint64_t blk_sectors;
static uint64_t mmio_probe_register;
static uint32_t mmio_probe_expected;
static uint16_t used_seen;
static struct blk_request request;
static volatile uint8_t request_status;
static volatile int request_done;

static void virtio_blk_interrupt(void)
{
    uint32_t status = arch_mmio_read32(blk_base + VIRTIO_MMIO_INTERRUPT_STATUS);
    arch_mmio_write32(blk_base + VIRTIO_MMIO_INTERRUPT_ACK, status & 3);
    __sync_synchronize();
    while (used_seen != *(volatile uint16_t *) &used->idx) {
        used_seen++;
        request_done = 1;
    }
    proc_wakeup(&request);
}

static int blk_setup(uint64_t base)
{
    uint32_t version = arch_mmio_read32(base + VIRTIO_MMIO_VERSION);
    arch_mmio_write32(base + VIRTIO_MMIO_STATUS, 0);
    arch_mmio_write32(base + VIRTIO_MMIO_STATUS, STATUS_ACKNOWLEDGE);
    arch_mmio_write32(base + VIRTIO_MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    /* no optional features; VERSION_1 is required on a modern device */
    arch_mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    arch_mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES, 0);
    if (version >= 2) {
        arch_mmio_write32(base + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
        uint32_t high = arch_mmio_read32(base + VIRTIO_MMIO_DEVICE_FEATURES);
        arch_mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        arch_mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES, high & (1u << (VIRTIO_F_VERSION_1 - 32)));
        arch_mmio_write32(base + VIRTIO_MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        if (!(arch_mmio_read32(base + VIRTIO_MMIO_STATUS) & STATUS_FEATURES_OK)) {
            return -1;
        }
    }
    arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_SEL, 0);
    if (arch_mmio_read32(base + VIRTIO_MMIO_QUEUE_NUM_MAX) < QUEUE_SIZE) {
        return -1;
    }
    arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_NUM, QUEUE_SIZE);
    if (version >= 2) {
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t) (uint64_t) desc);
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t) ((uint64_t) desc >> 32));
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t) (uint64_t) avail);
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t) ((uint64_t) avail >> 32));
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t) (uint64_t) used);
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t) ((uint64_t) used >> 32));
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_READY, 1);
    } else {
        arch_mmio_write32(base + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_ALIGN, 4096);
        arch_mmio_write32(base + VIRTIO_MMIO_QUEUE_PFN, (uint32_t) ((uint64_t) queue_memory >> 12));
    }
    arch_mmio_write32(base + VIRTIO_MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK
                                                 | (version >= 2 ? STATUS_FEATURES_OK : 0));
    blk_sectors = arch_mmio_read32(base + VIRTIO_MMIO_CONFIG)
                  | (uint64_t) arch_mmio_read32(base + VIRTIO_MMIO_CONFIG + 4) << 32;
    return 0;
}

void virtio_init(const struct boot_info *info)
{
    mmio_probe_register = PLIC_PRIORITY(UART_IRQ);
    mmio_probe_expected = 1;
    for (int i = 0; i < info->virtio_count; i++) {
        uint64_t base = info->virtio_base[i];
        if (arch_mmio_read32(base + VIRTIO_MMIO_MAGIC) != VIRTIO_MAGIC) {
            continue;
        }
        if (mmio_probe_register == PLIC_PRIORITY(UART_IRQ)) {
            mmio_probe_register = base + VIRTIO_MMIO_MAGIC;
            mmio_probe_expected = VIRTIO_MAGIC;
        }
        if (blk_base == 0 && arch_mmio_read32(base + VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK) {
            if (blk_setup(base) == 0) {
                blk_base = base;
                blk_irq = info->virtio_irq[i];
                plic_enable(blk_irq);
                kprintf("virtio-blk: %p irq %d version %d, %lu sectors\n", (void *) base, blk_irq,
                        arch_mmio_read32(base + VIRTIO_MMIO_VERSION), blk_sectors);
            } else {
                kprintf("virtio-blk: %p: setup failed\n", (void *) base);
            }
        }
    }
    if (blk_base == 0) {
        kprintf("virtio-blk: no disk\n");
    }
}

int64_t blk_capacity(void)
{
    return blk_base != 0 ? (int64_t) blk_sectors : -1;
}

int blk_rw(uint64_t sector, void *buffer, uint32_t count, int write)
{
    if (blk_base == 0 || sector + count > blk_sectors) {
        return -1;
    }
    request = (struct blk_request) { write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, 0, sector };
    request_status = 0xff;
    request_done = 0;
    desc[0] = (struct virtq_desc) { (uint64_t) &request, sizeof request, VRING_DESC_F_NEXT, 1 };
    desc[1] = (struct virtq_desc) { (uint64_t) buffer, count * 512, (uint16_t) (VRING_DESC_F_NEXT | (write ? 0 : VRING_DESC_F_WRITE)), 2 };
    desc[2] = (struct virtq_desc) { (uint64_t) &request_status, 1, VRING_DESC_F_WRITE, 0 };
    avail->ring[avail->idx % QUEUE_SIZE] = 0;
    __sync_synchronize();
    avail->idx++;
    __sync_synchronize();
    arch_mmio_write32(blk_base + VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    while (!request_done) {
        proc_sleep(&request);
    }
    return request_status == 0 ? 0 : -1;
}

uint64_t mmio_read_exercise(uint64_t count)
{
    uint64_t matched = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (arch_mmio_read32(mmio_probe_register) == mmio_probe_expected) {
            matched++;
        }
    }
    return matched;
}
