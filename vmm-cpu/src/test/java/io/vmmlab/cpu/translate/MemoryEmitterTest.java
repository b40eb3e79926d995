package io.vmmlab.cpu.translate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryEmitterTest {
    @ParameterizedTest
    @CsvSource({
            "4096, 0xfff",
            "8192, 0x1fff",
            "12288, 0x3fff",
            "134217728, 0x7ffffff",   // 128 MiB: the mask is the RAM's own index range
            "104857600, 0x7ffffff",   // 100 MiB: the next power of two covers it
            "2147479552, 0x7fffffff", // FlatRam's largest
    })
    void theIndexMaskIsTheSmallestPowerOfTwoMinusOneCoveringTheRam(long size, String mask) {
        int expected = Integer.decode(mask);

        assertThat(MemoryEmitter.indexMask(size)).isEqualTo(expected);
        assertThat((long) expected).isGreaterThanOrEqualTo(size - 1);
        assertThat((long) expected >>> 1).isLessThan(size - 1);
    }
}
