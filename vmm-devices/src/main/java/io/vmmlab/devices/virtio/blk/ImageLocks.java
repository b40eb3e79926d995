package io.vmmlab.devices.virtio.blk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Who has which disk image open, so that two VMs never write one image at once, nor one reads an image another writes
 * (QEMU's rule): a writable image is held by one VM alone, a read-only image by any number. Other processes are kept
 * out by a lock on the file (exclusive for a writer, shared for readers; advisory, as QEMU's); VMs of the same JVM (a
 * resident host runs several, and one VM may name an image twice) by this registry, since the JVM's locks do not
 * stack. Readers in one JVM share one channel: on Linux, closing any channel of a file drops every lock the process
 * holds on it.
 */
final class ImageLocks {
    private static final Map<Object, Holder> HOLDERS = new HashMap<>();

    /** An open image: its channel, and whether it was opened for writing. */
    private static final class Holder {
        private final Object key;
        private final FileChannel channel;
        private final boolean writable;
        private int users = 1;

        private Holder(Object key, FileChannel channel, boolean writable) {
            this.key = key;
            this.channel = channel;
            this.writable = writable;
        }
    }

    /** One VM's use of an open image; {@link #close} ends it (the last one closes the channel). */
    static final class Lease implements AutoCloseable {
        private final Holder holder;
        private boolean closed;

        private Lease(Holder holder) {
            this.holder = holder;
        }

        /** Returns the image's channel, shared with the other readers of this JVM. */
        FileChannel channel() {
            return holder.channel;
        }

        @Override
        public void close() throws IOException {
            synchronized (HOLDERS) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--holder.users > 0) {
                    return;
                }
                // Inside the monitor: a VM opening the image next must find neither the entry nor the lock (closing
                // the channel releases it), or its own new lock would be dropped with this channel's descriptor.
                try {
                    holder.channel.close();
                } finally {
                    HOLDERS.remove(holder.key);
                }
            }
        }
    }

    private ImageLocks() {
    }

    /**
     * Opens an image for one VM.
     *
     * @param path an existing regular file
     * @param readOnly true to open it for reading only
     * @return the lease
     * @throws IOException when the file cannot be opened
     * @throws IllegalArgumentException with a one-line reason when another VM (of this JVM or another process) has
     *                                  it open in a way that conflicts
     */
    static Lease open(Path path, boolean readOnly) throws IOException {
        Object key = key(path);
        synchronized (HOLDERS) {
            Holder holder = HOLDERS.get(key);
            if (holder != null) {
                if (!readOnly || holder.writable) {
                    throw inUse(path, readOnly);
                }
                holder.users++;
                return new Lease(holder);
            }
            FileChannel channel = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!locked(channel, readOnly)) {
                channel.close();
                throw inUse(path, readOnly);
            }
            holder = new Holder(key, channel, !readOnly);
            HOLDERS.put(key, holder);
            return new Lease(holder);
        }
    }

    /**
     * Locks the whole file (shared for reading): false when another process holds a conflicting lock. A file
     * system without locks (some network ones) is used unlocked, as QEMU does where it cannot lock.
     */
    private static boolean locked(FileChannel channel, boolean shared) {
        try {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false; // other code of this JVM locked the file itself
        } catch (IOException e) {
            return true;
        }
    }

    /** The file's identity (device and inode where the file system has them), the same through any name or link. */
    private static Object key(Path path) throws IOException {
        Object fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return fileKey != null ? fileKey : path.toRealPath();
    }

    private static IllegalArgumentException inUse(Path path, boolean readOnly) {
        return new IllegalArgumentException(readOnly
                ? "virtio-blk: disk image " + path + " is open for writing by another VM (or named twice)"
                : "virtio-blk: disk image " + path + " is in use by another VM (or named twice); a writable image "
                        + "is not shared (attach it read-only in every VM: --disk FILE,readonly)");
    }
}
