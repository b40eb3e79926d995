package io.vmmlab.api.device;

import io.vmmlab.api.memory.AddressRange;

import java.util.List;
import java.util.Optional;

/**
 * The physical address map of device windows, as a hart or DMA engine sees it.
 *
 * <p>Mappings never overlap each other; a mapping may overlay RAM, in which case it takes precedence over RAM
 * for the addresses it covers (the host-target interface of the test suites uses this). Accesses to addresses
 * with no mapping throw {@link io.vmmlab.api.memory.MemoryAccessException}.
 */
public interface MmioBus {

    /**
     * Maps a device window.
     *
     * @param name a short name for logs and reports, such as {@code "uart0"}
     * @param range the physical window
     * @param device the device answering in that window
     * @throws IllegalArgumentException when the window overlaps an existing mapping
     */
    void map(String name, AddressRange range, MmioDevice device);

    /**
     * Tells whether any mapping covers the address.
     *
     * @param address physical address
     * @return true when a device answers there
     */
    boolean isMapped(long address);

    /**
     * Reads from whichever device covers the address.
     *
     * @param address physical address
     * @param size access width in bytes
     * @return the value, zero-extended
     */
    long read(long address, int size);

    /**
     * Writes to whichever device covers the address.
     *
     * @param address physical address
     * @param size access width in bytes
     * @param value the value
     */
    void write(long address, int size, long value);

    /**
     * Writes to whichever device covers the address on the host's own behalf ({@link MmioDevice#hostWrite}: not
     * counted as a guest access). The default is an ordinary {@link #write}, for buses that predate it.
     *
     * @param address physical address
     * @param size access width in bytes
     * @param value the value
     */
    default void hostWrite(long address, int size, long value) {
        write(address, size, value);
    }

    /**
     * Lists the current mappings in address order.
     *
     * @return an immutable list; implementations should return the same list until the next {@link #map}, since
     *         harts look at it whenever they start running and skip the rest of the work when it is unchanged
     */
    List<Mapping> mappings();

    /**
     * Finds the mapping that covers an address, for naming the device a VMM emulates an access to.
     *
     * @param address physical address
     * @return the mapping, or empty when no device answers there
     */
    default Optional<Mapping> mappingAt(long address) {
        for (Mapping mapping : mappings()) {
            if (mapping.range().contains(address, 1)) {
                return Optional.of(mapping);
            }
        }
        return Optional.empty();
    }

    /**
     * One device window on the bus.
     *
     * @param name the name given at mapping time
     * @param range the physical window
     * @param device the device
     */
    record Mapping(String name, AddressRange range, MmioDevice device) {
    }
}
