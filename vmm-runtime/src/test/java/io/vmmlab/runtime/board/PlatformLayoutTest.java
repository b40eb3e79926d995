package io.vmmlab.runtime.board;

import io.vmmlab.api.memory.AddressRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The addresses must stay those of QEMU's hw/riscv/virt.c so the same kernels and device trees work on both. */
final class PlatformLayoutTest {

    @Test
    void matchesTheQemuVirtMemoryMap() {
        assertThat(PlatformLayout.TEST.range()).isEqualTo(new AddressRange(0x0010_0000L, 0x1000));
        assertThat(PlatformLayout.CLINT.range()).isEqualTo(new AddressRange(0x0200_0000L, 0x1_0000));
        assertThat(PlatformLayout.PLIC.range()).isEqualTo(new AddressRange(0x0c00_0000L, 0x60_0000));
        assertThat(PlatformLayout.UART0.range()).isEqualTo(new AddressRange(0x1000_0000L, 0x100));
        assertThat(PlatformLayout.DRAM.base()).isEqualTo(0x8000_0000L);
        assertThat(PlatformLayout.KERNEL_WITH_FIRMWARE).isEqualTo(0x8020_0000L);
    }

    @Test
    void theUartUsesPlicSourceTen() {
        assertThat(PlatformLayout.UART0.interrupt()).isEqualTo(10);
        assertThat(PlatformLayout.TEST.interrupt()).isZero();
    }

    @Test
    void placesEightVirtioSlotsOnePageApartOnSourcesOneToEight() {
        assertThat(PlatformLayout.VIRTIO_SLOTS).isEqualTo(8);
        for (int slot = 0; slot < 8; slot++) {
            assertThat(PlatformLayout.virtioSlot(slot))
                    .isEqualTo(new AddressRange(0x1000_1000L + slot * 0x1000L, 0x1000));
            assertThat(PlatformLayout.virtioInterrupt(slot)).isEqualTo(slot + 1);
        }
        assertThat(PlatformLayout.virtioSlot(7).end()).isEqualTo(0x1000_9000L);
    }

    @Test
    void refusesSlotsOutsideTheBoard() {
        assertThatIllegalArgumentException().isThrownBy(() -> PlatformLayout.virtioSlot(8))
                .withMessage("at most 8 virtio devices fit the board");
        assertThatIllegalArgumentException().isThrownBy(() -> PlatformLayout.virtioSlot(-1));
    }

    @Test
    void noDeviceWindowsOverlap() {
        PlatformLayout[] devices = {PlatformLayout.TEST, PlatformLayout.CLINT, PlatformLayout.PLIC,
            PlatformLayout.UART0};
        for (PlatformLayout first : devices) {
            for (PlatformLayout second : devices) {
                if (first != second) {
                    assertThat(first.range().overlaps(second.range())).as("%s vs %s", first, second).isFalse();
                }
            }
            for (int slot = 0; slot < PlatformLayout.VIRTIO_SLOTS; slot++) {
                assertThat(first.range().overlaps(PlatformLayout.virtioSlot(slot))).isFalse();
            }
            assertThat(Long.compareUnsigned(first.range().end(), PlatformLayout.DRAM.base())).isNegative();
        }
    }
}
