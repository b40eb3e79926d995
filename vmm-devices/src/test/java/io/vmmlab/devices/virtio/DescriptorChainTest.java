package io.vmmlab.devices.virtio;

import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class DescriptorChainTest {
    private static final long BASE = 0x8000_0000L;
    private static final long TABLE = BASE;
    private static final long INDIRECT = BASE + 0x1000;

    private final GuestMemory memory = new FlatRam(BASE, 0x10000);

    private void descriptor(long table, int index, long address, int length, int flags, int next) {
        long entry = table + 16L * index;
        memory.write64(entry, address);
        memory.write32(entry + 8, length);
        memory.write16(entry + 12, flags);
        memory.write16(entry + 14, next);
    }

    @Test
    void splitsAChainIntoReadableAndWritableStreams() {
        descriptor(TABLE, 2, BASE + 0x2000, 3, DescriptorChain.DESC_F_NEXT, 5);
        descriptor(TABLE, 5, BASE + 0x3000, 2, DescriptorChain.DESC_F_NEXT, 1);
        descriptor(TABLE, 1, BASE + 0x4000, 4, DescriptorChain.DESC_F_WRITE, 0);
        memory.write(BASE + 0x2000, new byte[] {1, 2, 3}, 0, 3);
        memory.write(BASE + 0x3000, new byte[] {4, 5}, 0, 2);

        DescriptorChain chain = DescriptorChain.read(memory, TABLE, 8, 2);

        assertThat(chain.head()).isEqualTo(2);
        assertThat(chain.readableLength()).isEqualTo(5);
        assertThat(chain.writableLength()).isEqualTo(4);
        byte[] read = new byte[8];
        assertThat(chain.read(1, read, 0, 8)).isEqualTo(4);
        assertThat(read).startsWith(2, 3, 4, 5);
        assertThat(chain.write(2, new byte[] {9, 9, 9}, 0, 3)).isEqualTo(2);
        assertThat(memory.read16(BASE + 0x4002)).isEqualTo(0x0909);
    }

    @Test
    void expandsAnIndirectTable() {
        descriptor(TABLE, 0, INDIRECT, 32, DescriptorChain.DESC_F_INDIRECT, 0);
        descriptor(INDIRECT, 0, BASE + 0x2000, 16, DescriptorChain.DESC_F_NEXT, 1);
        descriptor(INDIRECT, 1, BASE + 0x3000, 64, DescriptorChain.DESC_F_WRITE, 0);

        DescriptorChain chain = DescriptorChain.read(memory, TABLE, 8, 0);

        assertThat(chain.readableDescriptors()).containsExactly(new Descriptor(BASE + 0x2000, 16, false));
        assertThat(chain.writableDescriptors()).containsExactly(new Descriptor(BASE + 0x3000, 64, true));
    }

    @Test
    void rejectsNestedIndirectTables() {
        descriptor(TABLE, 0, INDIRECT, 16, DescriptorChain.DESC_F_INDIRECT, 0);
        descriptor(INDIRECT, 0, INDIRECT, 16, DescriptorChain.DESC_F_INDIRECT, 0);
        assertThatThrownBy(() -> DescriptorChain.read(memory, TABLE, 8, 0))
                .isInstanceOf(VirtioProtocolException.class);
    }

    @Test
    void rejectsIndirectTablesOfOddLength() {
        descriptor(TABLE, 0, INDIRECT, 20, DescriptorChain.DESC_F_INDIRECT, 0);
        assertThatThrownBy(() -> DescriptorChain.read(memory, TABLE, 8, 0))
                .isInstanceOf(VirtioProtocolException.class);
    }

    @Test
    void rejectsLoopsAndIndexesOutsideTheTable() {
        descriptor(TABLE, 0, BASE, 1, DescriptorChain.DESC_F_NEXT, 0);
        assertThatThrownBy(() -> DescriptorChain.read(memory, TABLE, 8, 0))
                .isInstanceOf(VirtioProtocolException.class);
        descriptor(TABLE, 0, BASE, 1, DescriptorChain.DESC_F_NEXT, 9);
        assertThatThrownBy(() -> DescriptorChain.read(memory, TABLE, 8, 0))
                .isInstanceOf(VirtioProtocolException.class);
    }

    @Test
    void tablesOutsideRamFailWithoutTouchingHostMemory() {
        assertThatThrownBy(() -> DescriptorChain.read(memory, 0x1000, 8, 0))
                .isInstanceOf(MemoryAccessException.class);
        descriptor(TABLE, 0, 0x10, 4, DescriptorChain.DESC_F_WRITE, 0);
        DescriptorChain chain = DescriptorChain.read(memory, TABLE, 8, 0);
        assertThatThrownBy(() -> chain.write(0, new byte[4], 0, 4)).isInstanceOf(MemoryAccessException.class);
    }
}
