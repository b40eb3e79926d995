package io.vmmlab.runtime.loader;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.GuestMemory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Places guest images in RAM: ELF executables by their segments' physical addresses, raw images at a given
 * address. Anything that does not fit RAM is refused with an {@link ImageException} before any byte is written.
 */
public final class ImageLoader {
    /** How many bytes of a segment's bss are zeroed by one write. */
    private static final int ZEROING_BLOCK = 1 << 20;

    private final GuestMemory memory;

    /**
     * Creates a loader for one machine's RAM.
     *
     * @param memory the guest RAM
     */
    public ImageLoader(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Reads a whole image file.
     *
     * @param path the file
     * @return its bytes
     * @throws ImageException when it is missing, unreadable or empty
     */
    public static byte[] read(Path path) {
        String name = BundledGuests.displayName(path);
        try {
            byte[] bytes = InputFiles.read(path, Integer.MAX_VALUE);
            if (bytes.length == 0) {
                throw new ImageException(name + ": file is empty");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ImageException(name + ": no such file");
        } catch (IOException e) {
            throw new ImageException(name + ": cannot read: " + InputFiles.reason(e));
        } catch (OutOfMemoryError e) {
            throw new ImageException(name + ": too large to load");
        }
    }

    /**
     * Loads an image: an ELF file by its segments, anything else as a raw image at {@code rawAddress}.
     *
     * @param path the file, for messages
     * @param bytes its contents
     * @param rawAddress where a raw image goes
     * @return where the image lies and where it starts
     */
    public LoadedImage load(Path path, byte[] bytes, long rawAddress) {
        if (ElfImage.isElf(bytes)) {
            return loadElf(ElfImage.parse(BundledGuests.displayName(path), bytes), bytes);
        }
        String name = BundledGuests.displayName(path);
        long footprint = Math.max(bytes.length, LinuxImageHeader.imageSize(name, bytes).orElse(0));
        requireInside(name, rawAddress, footprint);
        LoadedImage image = loadRaw(name, bytes, rawAddress);
        return new LoadedImage(new AddressRange(rawAddress, footprint), image.entry(), Optional.empty());
    }

    /**
     * Loads a parsed ELF file's segments.
     *
     * @param elf the parsed file
     * @param bytes its contents
     * @return where the image lies and where it starts
     */
    public LoadedImage loadElf(ElfImage elf, byte[] bytes) {
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ElfImage.Segment segment : elf.segments()) {
            requireInside(elf.name(), segment.physicalAddress(), segment.memorySize());
            low = Math.min(low, segment.physicalAddress());
            high = Math.max(high, segment.physicalAddress() + segment.memorySize());
        }
        byte[] zeros = new byte[0];
        for (ElfImage.Segment segment : elf.segments()) {
            memory.write(segment.physicalAddress(), bytes, (int) segment.fileOffset(), (int) segment.fileSize());
            long bssEnd = segment.physicalAddress() + segment.memorySize();
            for (long at = segment.physicalAddress() + segment.fileSize(); at < bssEnd; at += zeros.length) {
                if (zeros.length == 0) { // a bss can be most of RAM: zeroed a block at a time, not from its own array
                    zeros = new byte[ZEROING_BLOCK];
                }
                memory.write(at, zeros, 0, (int) Math.min(zeros.length, bssEnd - at));
            }
        }
        return new LoadedImage(new AddressRange(low, high - low), elf.entry(), Optional.of(elf));
    }

    /**
     * Copies a raw image (an initrd, or a kernel {@link #load} places: a RISC-V Linux Image occupies what its
     * header's {@code image_size} says, its bss too, see {@link LinuxImageHeader}) to an address.
     *
     * @param name the file name, for messages
     * @param bytes the image
     * @param address where it goes
     * @return where the image lies; it starts at its first byte
     */
    public LoadedImage loadRaw(String name, byte[] bytes, long address) {
        requireInside(name, address, bytes.length);
        memory.write(address, bytes, 0, bytes.length);
        return new LoadedImage(new AddressRange(address, bytes.length), address, Optional.empty());
    }

    private void requireInside(String name, long address, long size) {
        AddressRange ram = memory.range();
        if (!ram.contains(address, Math.max(size, 1))) {
            throw new ImageException(String.format("%s: 0x%x bytes at 0x%x do not fit guest RAM %s (try a larger --mem)",
                    name, size, address, ram));
        }
    }

    /**
     * Where an image was placed.
     *
     * @param range the RAM it occupies
     * @param entry its first instruction
     * @param elf the parsed ELF file, when it was one
     */
    public record LoadedImage(AddressRange range, long entry, Optional<ElfImage> elf) {
    }
}
