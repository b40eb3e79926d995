package io.vmmlab.runtime.memory;

import io.vmmlab.api.device.MmioBus;
import io.vmmlab.api.device.MmioDevice;
import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.testing.RecordingMmioDevice;
import io.vmmlab.api.testing.RecordingMmioDevice.Access;
import io.vmmlab.runtime.discovery.PluginFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class RangeMmioBusTest {
    private final RangeMmioBus bus = new RangeMmioBus();
    private final RecordingMmioDevice test = new RecordingMmioDevice(0x1);
    private final RecordingMmioDevice clint = new RecordingMmioDevice(0x2);
    private final RecordingMmioDevice uart = new RecordingMmioDevice(0x3);
    private final RecordingMmioDevice virtio = new RecordingMmioDevice(0x4);

    RangeMmioBusTest() {
        // mapped out of order on purpose: the bus sorts
        bus.map("uart", new AddressRange(0x1000_0000L, 0x100), uart);
        bus.map("test", new AddressRange(0x0010_0000L, 0x1000), test);
        bus.map("virtio", new AddressRange(0x1000_1000L, 0x1000), virtio);
        bus.map("clint", new AddressRange(0x0200_0000L, 0x1_0000), clint);
    }

    @Test
    void findsEachWindowByAddress() {
        assertThat(bus.read(0x0010_0000L, 4)).isEqualTo(0x1);
        assertThat(bus.read(0x0200_bff8L, 8)).isEqualTo(0x2);
        assertThat(bus.read(0x1000_0005L, 1)).isEqualTo(0x3);
        assertThat(bus.read(0x1000_1ffcL, 4)).isEqualTo(0x4);
    }

    @Test
    void passesOffsetsRelativeToTheWindow() {
        bus.write(0x0200_4000L, 8, 0x1234L);
        bus.write(0x1000_0000L, 1, 'A');
        bus.write(0x1000_00ffL, 1, 'B');
        bus.write(0x1000_1070L, 4, 7);

        assertThat(clint.writes()).containsExactly(new Access(0x4000, 8, 0x1234L));
        assertThat(uart.writes()).containsExactly(new Access(0, 1, 'A'), new Access(0xff, 1, 'B'));
        assertThat(virtio.writes()).containsExactly(new Access(0x70, 4, 7));
        assertThat(test.writes()).isEmpty();
    }

    @Test
    void aHostWriteReachesTheDevicesHostWrite() {
        List<Long> hostWrites = new ArrayList<>();
        bus.map("timer", new AddressRange(0x0300_0000L, 0x1000), new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                throw new AssertionError("a guest write");
            }

            @Override
            public void hostWrite(long offset, int size, long value) {
                hostWrites.add(offset);
            }
        });

        bus.hostWrite(0x0300_0010L, 8, 5);
        bus.hostWrite(0x1000_0001L, 1, 'C'); // a device without hostWrite of its own: an ordinary write

        assertThat(hostWrites).containsExactly(0x10L);
        assertThat(uart.writes()).containsExactly(new Access(1, 1, 'C'));
    }

    @Test
    void listsMappingsSortedByBase() {
        assertThat(bus.mappings()).extracting(MmioBus.Mapping::name)
                .containsExactly("test", "clint", "uart", "virtio");
    }

    @Test
    void tellsWhichAddressesAreMapped() {
        assertThat(bus.isMapped(0x0010_0000L)).isTrue();
        assertThat(bus.isMapped(0x0010_0fffL)).isTrue();
        assertThat(bus.isMapped(0x0010_1000L)).isFalse();
        assertThat(bus.isMapped(0x000f_ffffL)).isFalse();
        assertThat(bus.isMapped(0x1000_0100L)).isFalse();
        assertThat(bus.isMapped(0)).isFalse();
        assertThat(bus.isMapped(-1L)).isFalse();
        assertThat(bus.isMapped(0x8000_0000L)).isFalse();
    }

    @Test
    void findsTheWindowOfAnAddressAsTheListsMapping() {
        for (MmioBus.Mapping mapping : bus.mappings()) {
            AddressRange range = mapping.range();
            assertThat(bus.mappingAt(range.base())).containsSame(mapping);
            assertThat(bus.mappingAt(range.end() - 1)).containsSame(mapping);
        }
        assertThat(bus.mappingAt(0x0010_1000L)).isEmpty();
        assertThat(bus.mappingAt(0x000f_ffffL)).isEmpty();
        assertThat(bus.mappingAt(0x1000_0100L)).isEmpty();
        assertThat(bus.mappingAt(-1L)).isEmpty();
    }

    @Test
    void unmappedAccessesThrowWithTheAddress() {
        assertThatThrownBy(() -> bus.read(0x1000_0100L, 1))
                .isInstanceOfSatisfying(MemoryAccessException.class,
                        exception -> assertThat(exception.address()).isEqualTo(0x1000_0100L))
                .hasMessage("no device at 0x10000100");
        assertThatThrownBy(() -> bus.write(0x0000_0000L, 4, 0)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> bus.read(0xffff_ffff_ffff_fff0L, 8)).isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void accessesStraddlingTheEndOfAWindowAreRefused() {
        assertThatThrownBy(() -> bus.read(0x1000_00feL, 4)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> bus.write(0x1000_00fcL, 8, 0)).isInstanceOf(MemoryAccessException.class);
        assertThatThrownBy(() -> bus.read(0x0010_0ffcL, 8)).isInstanceOf(MemoryAccessException.class);
        assertThat(uart.writes()).isEmpty();
        assertThat(bus.read(0x1000_00fcL, 4)).isEqualTo(0x3);
    }

    @Test
    void refusesOverlappingWindowsNamingBoth() {
        RecordingMmioDevice other = new RecordingMmioDevice(0);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> bus.map("plic", new AddressRange(0x0200_f000L, 0x2000), other))
                .withMessage("plic at [0x200f000, 0x2011000) overlaps clint at [0x2000000, 0x2010000)");
        assertThat(bus.mappings()).hasSize(4);
        assertThat(bus.isMapped(0x0201_0000L)).isFalse();
    }

    @Test
    void refusesAWindowInsideAnotherAndOneCoveringAnother() {
        RecordingMmioDevice other = new RecordingMmioDevice(0);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> bus.map("inner", new AddressRange(0x1000_0010L, 0x10), other))
                .withMessageContaining("inner").withMessageContaining("uart");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> bus.map("outer", new AddressRange(0x0f00_0000L, 0x0200_0000L), other))
                .withMessageContaining("outer").withMessageContaining("overlaps");
    }

    @Test
    void acceptsAdjacentWindows() {
        RecordingMmioDevice before = new RecordingMmioDevice(0x10);
        RecordingMmioDevice after = new RecordingMmioDevice(0x20);

        bus.map("before", new AddressRange(0x0fff_ff00L, 0x100), before);
        bus.map("after", new AddressRange(0x1000_0100L, 0x100), after);

        assertThat(bus.read(0x0fff_ffffL, 1)).isEqualTo(0x10);
        assertThat(bus.read(0x1000_0000L, 1)).isEqualTo(0x3);
        assertThat(bus.read(0x1000_00ffL, 1)).isEqualTo(0x3);
        assertThat(bus.read(0x1000_0100L, 1)).isEqualTo(0x20);
    }

    @Test
    void findsWindowsAmongMany() {
        RangeMmioBus many = new RangeMmioBus();
        for (int i = 63; i >= 0; i--) {
            many.map("dev" + i, new AddressRange(0x4000_0000L + i * 0x2000L, 0x1000), new RecordingMmioDevice(i));
        }

        for (int i = 0; i < 64; i++) {
            long base = 0x4000_0000L + i * 0x2000L;
            assertThat(many.read(base, 1)).isEqualTo(i);
            assertThat(many.read(base + 0xfff, 1)).isEqualTo(i);
            assertThat(many.isMapped(base + 0x1000)).isFalse();
        }
    }

    @Test
    void anEmptyBusMapsNothing() {
        RangeMmioBus empty = new RangeMmioBus();

        assertThat(empty.isMapped(0)).isFalse();
        assertThat(empty.mappings()).isEmpty();
        assertThatThrownBy(() -> empty.read(0x1000, 4)).isInstanceOf(MemoryAccessException.class);
    }

    @Test
    void aDeviceThatFailsOnAnAccessIsNamedButAnAccessFaultPassesThrough() {
        MmioDevice broken = new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                if (offset == 0) {
                    throw new IllegalStateException("device read exploded");
                }
                throw new MemoryAccessException(0x1000 + offset, "no register");
            }

            @Override
            public void write(long offset, int size, long value) {
                throw new IllegalStateException("device write exploded");
            }
        };
        bus.map("broken0", new AddressRange(0x1000, 0x100), broken);

        assertThatThrownBy(() -> bus.read(0x1000, 4)).isInstanceOf(PluginFailure.class)
                .hasMessage("device 'broken0' (" + broken.getClass().getName() + ") failed on a read at 0x1000: "
                        + "java.lang.IllegalStateException: device read exploded");
        assertThatThrownBy(() -> bus.write(0x1008, 4, 1)).isInstanceOf(PluginFailure.class)
                .hasMessageEndingWith("failed on a write at 0x1008: java.lang.IllegalStateException: device write "
                        + "exploded");
        assertThatThrownBy(() -> bus.read(0x1004, 4)).isInstanceOf(MemoryAccessException.class);
    }
}
