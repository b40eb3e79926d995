package io.vmmlab.api.spi;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;

/**
 * Builds one kind of device, such as {@code "ns16550a"} or {@code "virtio-blk"}.
 *
 * <p>Found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.vmmlab.api.spi.DeviceProvider}. A third-party device plugs in exactly like the
 * built-in ones: the board asks the provider named in a {@link DeviceSpec} to create an instance, maps it on
 * the bus and asks it to describe itself in the device tree.
 */
public interface DeviceProvider {

    /**
     * Returns the kind users name in a device spec, such as {@code "virtio-blk"}.
     *
     * @return a short lowercase name
     */
    String name();

    /**
     * Returns a one-line description for {@code vmm devices}.
     *
     * @return the description
     */
    String description();

    /**
     * Tells whether the board should give the device an interrupt source at the platform interrupt controller.
     *
     * @return true when the device raises interrupts
     */
    default boolean needsInterrupt() {
        return true;
    }

    /**
     * Creates one instance.
     *
     * @param context where it lives and what it may touch
     * @param spec the user's options
     * @return the device
     * @throws IllegalArgumentException with a one-line reason when an option is missing or wrong
     */
    Device create(DeviceContext context, DeviceSpec spec);
}
