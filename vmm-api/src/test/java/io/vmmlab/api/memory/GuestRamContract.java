package io.vmmlab.api.memory;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every guest RAM of the board must do ({@link FlatRam}, {@link OffHeapRam}): its subclasses name the
 * implementation.
 */
abstract class GuestRamContract {
    private static final long BASE = 0x8000_0000L;
    private static final long SIZE = 0x2000;
    private static final long LAST = BASE + SIZE - 1;

    private final GuestMemory ram = create(BASE, SIZE);

    /**
     * Allocates the RAM under test.
     *
     * @param base first physical address
     * @param size bytes
     * @return the RAM
     */
    abstract GuestMemory create(long base, long size);

    @Test
    void answersToItsRangeAndStartsZeroed() {
        assertThat(ram.range()).isEqualTo(new AddressRange(BASE, SIZE));
        assertThat(ram.read64(BASE)).isZero();
        assertThat(ram.read64(BASE + SIZE - 8)).isZero();
    }

    @Test
    void storesMultiByteValuesLittleEndian() {
        ram.write64(BASE, 0x0102_0304_0506_0708L);

        assertThat(ram.read8(BASE)).isEqualTo(0x08);
        assertThat(ram.read8(BASE + 7)).isEqualTo(0x01);
        assertThat(ram.read16(BASE)).isEqualTo(0x0708);
        assertThat(ram.read32(BASE)).isEqualTo(0x0506_0708);
        assertThat(ram.read32(BASE + 4)).isEqualTo(0x0102_0304);
        assertThat(ram.read64(BASE)).isEqualTo(0x0102_0304_0506_0708L);
    }

    @Test
    void smallWritesTouchOnlyTheirBytes() {
        ram.write64(BASE, -1L);

        ram.write8(BASE + 1, 0x1234);
        ram.write16(BASE + 2, 0xabcdef);
        ram.write32(BASE + 4, 0);

        assertThat(ram.read64(BASE)).isEqualTo(0x0000_0000_cdef_34ffL);
    }

    @Test
    void narrowReadsAreZeroExtended() {
        ram.write64(BASE, -1L);

        assertThat(ram.read8(BASE)).isEqualTo(0xff);
        assertThat(ram.read16(BASE)).isEqualTo(0xffff);
        assertThat(ram.read32(BASE)).isEqualTo(-1);
        assertThat(ram.read(BASE, 4)).isEqualTo(0xffff_ffffL);
    }

    @Test
    void allowsUnalignedAccesses() {
        ram.write64(BASE + 3, 0x1122_3344_5566_7788L);
        ram.write32(BASE + 0x101, 0xcafe_babe);
        ram.write16(BASE + 0x201, 0xbeef);

        assertThat(ram.read64(BASE + 3)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(ram.read8(BASE + 3)).isEqualTo(0x88);
        assertThat(ram.read32(BASE + 0x101)).isEqualTo(0xcafe_babe);
        assertThat(ram.read16(BASE + 0x201)).isEqualTo(0xbeef);
        assertThat(ram.read8(BASE + 0x202)).isEqualTo(0xbe);
    }

    @Test
    void genericWidthAccessorsDispatchBySize() {
        ram.write(BASE + 8, 8, 0x8877_6655_4433_2211L);
        ram.write(BASE + 16, 2, 0xffff_1234L);

        assertThat(ram.read(BASE + 8, 1)).isEqualTo(0x11);
        assertThat(ram.read(BASE + 8, 2)).isEqualTo(0x2211);
        assertThat(ram.read(BASE + 8, 8)).isEqualTo(0x8877_6655_4433_2211L);
        assertThat(ram.read(BASE + 16, 4)).isEqualTo(0x1234);
        assertThatIllegalArgumentException().isThrownBy(() -> ram.read(BASE, 3))
                .withMessage("access size must be 1, 2, 4 or 8: 3");
    }

    @Test
    void theLastBytesAreReachable() {
        ram.write8(LAST, 0x5a);
        ram.write64(BASE + SIZE - 8, ram.read64(BASE + SIZE - 8) | 1);

        assertThat(ram.read8(LAST)).isEqualTo(0x5a);
        assertThat(ram.read8(BASE + SIZE - 8)).isEqualTo(1);
        assertThat(ram.read16(LAST - 1)).isEqualTo(0x5a00);
        assertThat(ram.read32(LAST - 3)).isEqualTo(0x5a00_0000);
    }

    @Test
    void onePastTheEndIsRefused() {
        assertOutside(() -> ram.read8(BASE + SIZE), BASE + SIZE);
        assertOutside(() -> ram.write8(BASE + SIZE, 1), BASE + SIZE);
    }

    @Test
    void accessesStraddlingTheEndAreRefused() {
        assertOutside(() -> ram.read16(LAST), LAST);
        assertOutside(() -> ram.read32(LAST - 2), LAST - 2);
        assertOutside(() -> ram.read64(LAST - 6), LAST - 6);
        assertOutside(() -> ram.write64(LAST - 6, -1L), LAST - 6);
        assertThat(ram.read64(BASE + SIZE - 8)).isZero();
    }

    @Test
    void addressesBelowTheBaseAreRefused() {
        assertOutside(() -> ram.read8(BASE - 1), BASE - 1);
        assertOutside(() -> ram.read64(BASE - 4), BASE - 4);
        assertOutside(() -> ram.write32(0, 1), 0);
    }

    @Test
    void hugeAndNegativeAddressesDoNotWrapIntoRam() {
        assertOutside(() -> ram.read8(-1L), -1L);
        assertOutside(() -> ram.read8(BASE + 0x1_0000_0000L), BASE + 0x1_0000_0000L);
        assertOutside(() -> ram.read64(Long.MIN_VALUE + BASE), Long.MIN_VALUE + BASE);
        assertOutside(() -> ram.read64(Long.MAX_VALUE), Long.MAX_VALUE);
    }

    @Test
    void outsideAccessMessageNamesAddressAndRange() {
        assertThatThrownBy(() -> ram.read8(BASE + SIZE))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessage("0x80002000 is outside guest RAM [0x80000000, 0x80002000)");
    }

    @Test
    void bulkCopiesRoundTrip() {
        byte[] source = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

        ram.write(BASE + 0x100, source, 2, 6);
        byte[] destination = new byte[8];
        ram.read(BASE + 0xff, destination, 1, 7);

        assertThat(ram.read32(BASE + 0x100)).isEqualTo(0x0504_0302);
        assertThat(destination).containsExactly(0, 0, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void bulkCopiesMayReachTheLastByte() {
        byte[] source = new byte[16];
        Arrays.fill(source, (byte) 0x77);

        ram.write(BASE + SIZE - 16, source, 0, 16);
        byte[] whole = new byte[(int) SIZE];
        ram.read(BASE, whole, 0, whole.length);

        assertThat(whole[(int) SIZE - 1]).isEqualTo((byte) 0x77);
        assertThat(whole[(int) SIZE - 17]).isZero();
    }

    @Test
    void bulkCopiesPastTheEndAreRefusedWithoutWriting() {
        byte[] source = new byte[16];
        Arrays.fill(source, (byte) 0x77);

        assertOutside(() -> ram.write(BASE + SIZE - 15, source, 0, 16), BASE + SIZE - 15);
        assertOutside(() -> ram.read(BASE + SIZE - 15, new byte[16], 0, 16), BASE + SIZE - 15);
        assertOutside(() -> ram.read(BASE - 1, new byte[16], 0, 2), BASE - 1);
        assertThat(ram.read64(BASE + SIZE - 8)).isZero();
    }

    @Test
    void refusesSizesThatAreNotPositiveMultiplesOf4KiB() {
        assertThatIllegalArgumentException().isThrownBy(() -> create(BASE, 0))
                .withMessage("RAM size must be a positive multiple of 4 KiB up to 2047 MiB: 0 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> create(BASE, -4096))
                .withMessage("RAM size must be a positive multiple of 4 KiB up to 2047 MiB: -4096 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> create(BASE, 4097))
                .withMessage("RAM size must be a positive multiple of 4 KiB up to 2047 MiB: 4097 bytes");
    }

    @Test
    void refusesSizesAboveTheMaximum() {
        assertThat(FlatRam.MAX_SIZE).isEqualTo(0x7fff_f000L);
        assertThatIllegalArgumentException().isThrownBy(() -> create(BASE, FlatRam.MAX_SIZE + 0x1000))
                .withMessageContaining("positive multiple of 4 KiB");
        assertThatIllegalArgumentException().isThrownBy(() -> create(BASE, 1L << 32));
    }

    @Test
    void refusesARangeThatWrapsTheAddressSpace() {
        assertThatIllegalArgumentException().isThrownBy(() -> create(0xffff_ffff_ffff_f000L, 0x2000))
                .withMessageContaining("wraps around");
    }

    private static void assertOutside(ThrowingCallable access, long address) {
        assertThatThrownBy(access)
                .isInstanceOfSatisfying(MemoryAccessException.class,
                        exception -> assertThat(exception.address()).isEqualTo(address));
    }
}
