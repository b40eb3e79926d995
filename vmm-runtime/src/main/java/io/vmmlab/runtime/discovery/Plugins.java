package io.vmmlab.runtime.discovery;

import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

/**
 * Every plugin the runtime can use, discovered once: strategies, CPUs and devices. The runtime knows strategies
 * only through this, never by class name.
 *
 * @param strategies installed virtualization strategies, including the built-in {@code native} baseline
 * @param cpus installed hart engines
 * @param devices installed device kinds
 */
public record Plugins(PluginCatalog<VirtualizationStrategyProvider> strategies, PluginCatalog<CpuProvider> cpus,
                      PluginCatalog<DeviceProvider> devices) {

    /**
     * Discovers the plugins visible to a class loader.
     *
     * @param loader where to look (usually the thread's context class loader)
     * @return the plugins
     */
    public static Plugins discover(ClassLoader loader) {
        return new Plugins(
                PluginCatalog.load("strategy", VirtualizationStrategyProvider.class,
                        VirtualizationStrategyProvider::name, loader),
                PluginCatalog.load("cpu", CpuProvider.class, CpuProvider::name, loader, "io.vmmlab:vmm-cpu"),
                PluginCatalog.load("device", DeviceProvider.class, DeviceProvider::name, loader,
                        "io.vmmlab:vmm-devices"));
    }

    /**
     * Discovers the plugins on the current thread's context class loader.
     *
     * @return the plugins
     */
    public static Plugins discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }
}
