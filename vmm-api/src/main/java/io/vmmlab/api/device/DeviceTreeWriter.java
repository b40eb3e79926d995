package io.vmmlab.api.device;

/**
 * Receives a device's description for the flattened device tree (FDT) handed to the guest.
 *
 * <p>A device opens its node under the current parent, adds properties, and closes it. Property value
 * conventions follow the Devicetree Specification: cells are big-endian 32-bit words.
 */
public interface DeviceTreeWriter {

    /**
     * Opens a child node of the current node.
     *
     * @param name node name with unit address, such as {@code "serial@10000000"}
     */
    void beginNode(String name);

    /** Closes the node opened last. */
    void endNode();

    /**
     * Adds a property made of 32-bit cells.
     *
     * @param name property name
     * @param cells the cells
     */
    void propertyCells(String name, int... cells);

    /**
     * Adds a string (or string-list) property.
     *
     * @param name property name
     * @param values one or more NUL-terminated strings
     */
    void propertyStrings(String name, String... values);

    /**
     * Adds a property with raw bytes.
     *
     * @param name property name
     * @param value the bytes
     */
    void propertyBytes(String name, byte[] value);

    /**
     * Adds an empty (boolean) property.
     *
     * @param name property name
     */
    default void propertyEmpty(String name) {
        propertyBytes(name, new byte[0]);
    }

    /**
     * Returns the phandle of the platform-level interrupt controller, for {@code interrupt-parent}.
     *
     * @return the phandle
     */
    int interruptControllerPhandle();

    /**
     * Returns the phandle of a hart's local interrupt controller node ({@code cpu@N/interrupt-controller}), for
     * the {@code interrupts-extended} property of the CLINT and the PLIC.
     *
     * @param hartId the hart
     * @return the phandle
     */
    int hartInterruptControllerPhandle(int hartId);

    /**
     * Returns a new phandle, unique in the tree, for a node that others reference.
     *
     * @return the phandle
     */
    int allocatePhandle();
}
