package io.vmmlab.devices.virtio.blk;

import io.vmmlab.api.device.Device;
import io.vmmlab.api.device.DeviceContext;
import io.vmmlab.api.device.DeviceSpec;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.spi.DeviceProvider;
import io.vmmlab.devices.DeviceOptions;
import io.vmmlab.devices.MmioAccessCounters;
import io.vmmlab.devices.virtio.VirtioMmioTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;

/**
 * Creates a virtio-mmio block device ({@code "virtio-blk"}) on a raw image. Options: {@code path} (required, an
 * existing file) and {@code readonly} ({@code true} or {@code false}, default false). Counts sectors in group
 * {@value #COUNTER_GROUP}, reasons {@code "<instance>-sectors-read"} and {@code "<instance>-sectors-written"}.
 */
public final class VirtioBlkProvider implements DeviceProvider {
    private static final Logger log = LoggerFactory.getLogger(VirtioBlkProvider.class);

    /** The provider name. */
    public static final String NAME = "virtio-blk";
    /** The counter group of the sector counters. */
    public static final String COUNTER_GROUP = "virtio-blk";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "virtio-mmio block device on a raw image (options: path, readonly)";
    }

    @Override
    public Device create(DeviceContext context, DeviceSpec spec) {
        DeviceOptions options = DeviceOptions.of(NAME, spec, Set.of("path", "readonly"));
        Path path = Path.of(options.required("path"));
        boolean readOnly = options.bool("readonly", false);
        int interruptNumber = options.requireInterrupt(context.interruptNumber());
        String instance = context.instanceName();
        DiskImage disk = DiskImage.open(path, readOnly);
        try {
            VirtioBlk blk = new VirtioBlk(disk, instance,
                    context.counters().counter(COUNTER_GROUP, instance + "-sectors-read", CostCategory.NONE),
                    context.counters().counter(COUNTER_GROUP, instance + "-sectors-written", CostCategory.NONE));
            log.info("Created {} at {} on interrupt {}: {} ({} sectors{})", instance, context.range(),
                    interruptNumber, path, disk.sectors(), readOnly ? ", read-only" : "");
            return new VirtioMmioTransport(instance, context.range(), interruptNumber, context.interrupt(),
                    context.memory(), blk, new MmioAccessCounters(context.counters(), instance));
        } catch (RuntimeException | Error e) {
            disk.close(); // a device the board never got would hold the image (ImageLocks) for good
            throw e;
        }
    }
}
