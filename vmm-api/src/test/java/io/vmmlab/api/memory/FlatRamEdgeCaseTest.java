package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class FlatRamEdgeCaseTest {
    private final FlatRam ram = new FlatRam(0x8000_0000L, 0x1000);

    @Test
    void bulkCopiesLongerThanRamAreMemoryAccessErrors() {
        assertThatThrownBy(() -> ram.read(0x8000_0000L, new byte[0x2000], 0, 0x2000))
                .isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> ram.write(0x8000_0800L, new byte[0x2000], 0, 0x2000))
                .isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void negativeBulkLengthsAreRefusedAsOutsideRam() {
        assertThatThrownBy(() -> ram.read(0x8000_0000L, new byte[16], 0, -1))
                .isInstanceOf(MemoryAccessException.class);
    }
}
