/* Native port, inline part: device registers are ordinary loads and stores (arch/arch.h). */
#ifndef ARCH_PORT_H
#define ARCH_PORT_H

static inline uint32_t arch_mmio_read32(uint64_t pa)
{
    return *(volatile uint32_t *) pa;
}

static inline void arch_mmio_write32(uint64_t pa, uint32_t value)
{
    *(volatile uint32_t *) pa = value;
}

#endif
