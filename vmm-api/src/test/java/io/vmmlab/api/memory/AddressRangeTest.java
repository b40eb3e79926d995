package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class AddressRangeTest {
    private final AddressRange ram = new AddressRange(0x8000_0000L, 0x1000);

    @Test
    void endIsBasePlusSize() {
        assertThat(ram.end()).isEqualTo(0x8000_1000L);
        assertThat(ram).hasToString("[0x80000000, 0x80001000)");
    }

    @Test
    void containsTheFirstAndLastByte() {
        assertThat(ram.contains(0x8000_0000L, 1)).isTrue();
        assertThat(ram.contains(0x8000_0fffL, 1)).isTrue();
        assertThat(ram.contains(0x8000_0ff8L, 8)).isTrue();
        assertThat(ram.contains(0x8000_0000L, 0x1000)).isTrue();
    }

    @Test
    void doesNotContainTheBytesAroundIt() {
        assertThat(ram.contains(0x7fff_ffffL, 1)).isFalse();
        assertThat(ram.contains(0x8000_1000L, 1)).isFalse();
    }

    @Test
    void doesNotContainAccessesThatStraddleAnEdge() {
        assertThat(ram.contains(0x8000_0ff9L, 8)).isFalse();
        assertThat(ram.contains(0x7fff_fffcL, 8)).isFalse();
        assertThat(ram.contains(0x8000_0000L, 0x1001)).isFalse();
    }

    @Test
    void hugeLengthsAndAddressesDoNotWrapIntoTheRange() {
        assertThat(ram.contains(0x8000_0000L, -1L)).isFalse();
        assertThat(ram.contains(0x8000_0800L, Long.MAX_VALUE)).isFalse();
        assertThat(ram.contains(-1L, 2)).isFalse();
        assertThat(ram.contains(Long.MIN_VALUE + 0x8000_0000L, 1)).isFalse();
    }

    @Test
    void refusesEmptyAndNegativeSizes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AddressRange(0x1000, 0))
                .withMessage("size must be positive: 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AddressRange(0x1000, -4096))
                .withMessage("size must be positive: -4096");
    }

    @Test
    void refusesRangesThatWrapAroundTheAddressSpace() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AddressRange(0xffff_ffff_ffff_f000L, 0x2000))
                .withMessage("range 0xfffffffffffff000+0x2000 wraps around");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AddressRange(-1L, 2));
    }

    @Test
    void acceptsARangeThatEndsAtTheTopOfTheAddressSpace() {
        AddressRange top = new AddressRange(0xffff_ffff_ffff_f000L, 0x1000);

        assertThat(top.contains(0xffff_ffff_ffff_fff8L, 8)).isTrue();
        assertThat(top.contains(0xffff_ffff_ffff_fff9L, 8)).isFalse();
    }

    @Test
    void rangesCrossingTheSignBitAreUnsigned() {
        AddressRange middle = new AddressRange(Long.MAX_VALUE - 0xfff, 0x2000);

        assertThat(middle.contains(Long.MIN_VALUE, 8)).isTrue();
        assertThat(middle.end()).isEqualTo(Long.MIN_VALUE + 0x1000);
    }

    @Test
    void overlapsWhenSharingAtLeastOneByte() {
        assertThat(ram.overlaps(new AddressRange(0x8000_0fffL, 1))).isTrue();
        assertThat(ram.overlaps(new AddressRange(0x7fff_f000L, 0x1001))).isTrue();
        assertThat(ram.overlaps(new AddressRange(0x8000_0100L, 0x10))).isTrue();
        assertThat(new AddressRange(0x8000_0100L, 0x10).overlaps(ram)).isTrue();
        assertThat(ram.overlaps(ram)).isTrue();
    }

    @Test
    void adjacentRangesDoNotOverlap() {
        assertThat(ram.overlaps(new AddressRange(0x8000_1000L, 0x1000))).isFalse();
        assertThat(ram.overlaps(new AddressRange(0x7fff_f000L, 0x1000))).isFalse();
        assertThat(new AddressRange(0x7fff_f000L, 0x1000).overlaps(ram)).isFalse();
    }

    @Test
    void overlapComparesAddressesUnsigned() {
        AddressRange high = new AddressRange(0xffff_ffff_0000_0000L, 0x1000);

        assertThat(ram.overlaps(high)).isFalse();
        assertThat(high.overlaps(ram)).isFalse();
        assertThat(high.overlaps(new AddressRange(0xffff_ffff_0000_0fffL, 0x10))).isTrue();
    }
}
