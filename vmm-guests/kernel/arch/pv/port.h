/* PV port, inline part: device registers are reached through mmio hypercalls (arch/pv/arch.c). */
#ifndef ARCH_PORT_H
#define ARCH_PORT_H

uint32_t arch_mmio_read32(uint64_t pa);
void arch_mmio_write32(uint64_t pa, uint32_t value);

#endif
