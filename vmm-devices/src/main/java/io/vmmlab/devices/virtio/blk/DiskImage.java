package io.vmmlab.devices.virtio.blk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A raw disk image file, read and written through a {@link FileChannel}.
 *
 * <p>The capacity is the file size rounded down to whole 512-byte sectors; a trailing partial sector is
 * neither readable nor writable by the guest. Writes go to the channel at once and reach stable storage on
 * {@link #flush()} and {@link #close()}.
 */
public final class DiskImage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskImage.class);

    /** The virtio-blk sector size (virtio spec §5.2.4). */
    public static final int SECTOR_SIZE = 512;

    private final Path path;
    private final ImageLocks.Lease lease;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long sectors;

    private DiskImage(Path path, ImageLocks.Lease lease, boolean readOnly, long sectors) {
        this.path = path;
        this.lease = lease;
        this.channel = lease.channel();
        this.readOnly = readOnly;
        this.sectors = sectors;
    }

    /**
     * Opens an existing image.
     *
     * @param path the image file
     * @param readOnly true to open it for reading only
     * @return the open image
     * @throws IllegalArgumentException with a one-line reason when the file is missing or cannot be opened, or
     *                                  another VM has it open for writing (or this one asks to write what another
     *                                  VM has open: {@link ImageLocks})
     */
    public static DiskImage open(Path path, boolean readOnly) {
        requireNonNull(path, "path is null");
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("virtio-blk: disk image " + path + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("virtio-blk: disk image " + path + " is not a regular file");
        }
        try {
            ImageLocks.Lease lease = ImageLocks.open(path, readOnly);
            try {
                long size = lease.channel().size();
                if (size < SECTOR_SIZE) {
                    throw new IllegalArgumentException("virtio-blk: disk image " + path + " holds no whole "
                            + SECTOR_SIZE + "-byte sector (" + size + " bytes)");
                }
                if (size % SECTOR_SIZE != 0) {
                    log.warn("{} is {} bytes, not whole sectors; the last {} bytes are not visible to the guest",
                            path, size, size % SECTOR_SIZE);
                }
                return new DiskImage(path, lease, readOnly, size / SECTOR_SIZE);
            } catch (IOException | RuntimeException e) {
                lease.close(); // not held on by a disk that never was
                throw e;
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(String.format("virtio-blk: cannot open disk image %s%s: %s", path,
                    readOnly ? "" : " for writing (attach it read-only: readonly=true; --disk FILE,readonly)", e.getMessage()), e);
        }
    }

    /**
     * Returns the image file.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Tells whether the image was opened for reading only.
     *
     * @return true when writes are refused
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Returns the capacity.
     *
     * @return whole 512-byte sectors
     */
    public long sectors() {
        return sectors;
    }

    /**
     * Reads bytes at a byte position inside the capacity.
     *
     * @param position the first byte
     * @param destination where to put them
     * @param length how many
     * @throws IOException when the host read fails or ends early
     */
    public void read(long position, byte[] destination, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(destination, 0, length);
        while (buffer.hasRemaining()) {
            int count = channel.read(buffer, position + buffer.position());
            if (count < 0) {
                throw new IOException("unexpected end of " + path);
            }
        }
    }

    /**
     * Writes bytes at a byte position inside the capacity.
     *
     * @param position the first byte
     * @param source the bytes
     * @param length how many
     * @throws IOException when the host write fails
     */
    public void write(long position, byte[] source, int length) throws IOException {
        if (readOnly) {
            throw new IOException(path + " is read-only");
        }
        ByteBuffer buffer = ByteBuffer.wrap(source, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    /**
     * Forces written data to stable storage.
     *
     * @throws IOException when the host sync fails
     */
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    /** Flushes and closes the file. */
    @Override
    public void close() {
        try (ImageLocks.Lease closing = lease) {
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush disk image " + path, e);
        }
    }
}
