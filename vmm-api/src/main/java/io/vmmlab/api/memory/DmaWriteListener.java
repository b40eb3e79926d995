package io.vmmlab.api.memory;

/**
 * Hears about device writes into guest RAM (DMA), so that a VMM can keep what it derived from guest memory
 * coherent: shadow page-table entries derived from a guest page table, translations of guest code, decoded
 * instructions. Called on the thread that performed the write, after the bytes are in memory.
 */
@FunctionalInterface
public interface DmaWriteListener {

    /**
     * Reports one device write.
     *
     * @param address the first guest-physical byte written
     * @param length the number of bytes written
     */
    void dmaWritten(long address, long length);
}
