package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.FlatRam;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class UnsafeRamAccessTest {
    private static final int MASK = 4095;

    /** Every load gives what RamAccess's gives, at every index a mask of 4095 allows (up to the tail). */
    @Test
    void loadsMatchTheCheckedAccessors() {
        byte[] ram = new byte[MASK + 1 + FlatRam.TAIL];
        new Random(7).nextBytes(ram);
        for (int index = 0; index <= MASK; index++) {
            assertThat(UnsafeRamAccess.lh(ram, index)).as("lh %d", index).isEqualTo(RamAccess.lh(ram, index));
            assertThat(UnsafeRamAccess.lhu(ram, index)).as("lhu %d", index).isEqualTo(RamAccess.lhu(ram, index));
            assertThat(UnsafeRamAccess.lw(ram, index)).as("lw %d", index).isEqualTo(RamAccess.lw(ram, index));
            assertThat(UnsafeRamAccess.lwu(ram, index)).as("lwu %d", index).isEqualTo(RamAccess.lwu(ram, index));
            assertThat(UnsafeRamAccess.ld(ram, index)).as("ld %d", index).isEqualTo(RamAccess.ld(ram, index));
        }
    }

    /** Stores write the same little-endian bytes as RamAccess's, and nothing else. */
    @Test
    void storesMatchTheCheckedAccessors() {
        Random random = new Random(11);
        byte[] expected = new byte[MASK + 1 + FlatRam.TAIL];
        byte[] actual = new byte[expected.length];
        for (int i = 0; i < 3000; i++) {
            int index = i < 3 ? MASK : random.nextInt(MASK + 1);
            long value = random.nextLong();
            switch (i % 3) {
                case 0 -> {
                    RamAccess.sh(expected, index, value);
                    UnsafeRamAccess.sh(actual, index, value);
                }
                case 1 -> {
                    RamAccess.sw(expected, index, value);
                    UnsafeRamAccess.sw(actual, index, value);
                }
                default -> {
                    RamAccess.sd(expected, index, value);
                    UnsafeRamAccess.sd(actual, index, value);
                }
            }
            assertThat(actual).as("after store %d at %d", i, index).isEqualTo(expected);
        }
    }

    /**
     * The unchecked accessors cover an array only if an 8-byte access at the largest masked index stays inside it:
     * a power-of-two FlatRam (mask = size - 1, tail of 8) qualifies, one of another size (whose mask reaches past
     * its end) does not, and nothing qualifies where the JVM does not allow them.
     */
    @Test
    void coverOnlyArraysLongerThanTheMaskByAnAccess() {
        int mib128 = 128 << 20;
        int mask128 = MemoryEmitter.indexMask(mib128);
        assertThat(UnsafeRamAccess.covers(true, mib128 + FlatRam.TAIL, mask128)).isTrue();
        assertThat(UnsafeRamAccess.covers(false, mib128 + FlatRam.TAIL, mask128)).isFalse();
        assertThat(UnsafeRamAccess.covers(true, mask128 + 8, mask128)).isTrue();
        assertThat(UnsafeRamAccess.covers(true, mask128 + 7, mask128)).isFalse();
        int mib96 = 96 << 20;
        assertThat(UnsafeRamAccess.covers(true, mib96 + FlatRam.TAIL, MemoryEmitter.indexMask(mib96))).isFalse();
        assertThat(UnsafeRamAccess.covers(true, Integer.MAX_VALUE, Integer.MAX_VALUE)).isFalse();
    }
}
