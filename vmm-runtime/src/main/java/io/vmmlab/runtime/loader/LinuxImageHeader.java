package io.vmmlab.runtime.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * The header of a RISC-V Linux kernel {@code Image} (Linux's Documentation/arch/riscv/boot-image-header.rst):
 * {@code image_size} at byte 16 is how much memory the kernel occupies from its load address, its zeroed data
 * (bss) included, which the file itself does not hold. Whatever goes after the kernel (an initrd) must start past
 * that, or the kernel clears it and rejects it as overlapping memory in use.
 */
final class LinuxImageHeader {
    private static final int HEADER_SIZE = 64;
    private static final int IMAGE_SIZE_OFFSET = 16;
    private static final int MAGIC2_OFFSET = 56;
    private static final int MAGIC2 = 0x0543_5352; // "RSC\x05", little-endian
    /** More than any RAM a board here can have (--mem stops below 2 GiB): a larger image_size is garbage. */
    private static final long MAX_IMAGE_SIZE = 1L << 32;

    private LinuxImageHeader() {
    }

    /**
     * Returns the memory a raw image occupies once it runs, when it is a RISC-V Linux Image.
     *
     * @param name the file, for messages
     * @param bytes the file
     * @return {@code image_size}, or empty for another file or a header that gives none (0)
     * @throws ImageException when the header's {@code image_size} is negative or beyond any RAM this board has
     */
    static OptionalLong imageSize(String name, byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            return OptionalLong.empty();
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(MAGIC2_OFFSET) != MAGIC2) {
            return OptionalLong.empty();
        }
        long size = header.getLong(IMAGE_SIZE_OFFSET);
        if (size < 0 || size > MAX_IMAGE_SIZE) {
            throw new ImageException(String.format("%s: corrupt Linux Image header: image_size 0x%x", name, size));
        }
        return size > 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }
}
