package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The accesses a watchpoint looks for: every load and store form of RV64GC, and what accesses no memory. */
final class MemoryAccessTest {
    private final Hart hart = mock(Hart.class);

    MemoryAccessTest() {
        when(hart.register(2)).thenReturn(0x8000_2000L); // sp
        when(hart.register(5)).thenReturn(0x8000_1000L); // t0
        when(hart.register(8)).thenReturn(0x8000_3000L); // s0
        when(hart.register(9)).thenReturn(0x8000_4000L); // s1
    }

    @Test
    void fullWidthLoadsStoresLrScAndAmos() {
        assertThat(decode(0x0062b423)).as("sd t1, 8(t0)").contains(write(0x8000_1008L, 8));
        assertThat(decode(0xfe62ae23)).as("sw t1, -4(t0)").contains(write(0x8000_0ffcL, 4));
        assertThat(decode(0x00628023)).as("sb t1, 0(t0)").contains(write(0x8000_1000L, 1));
        assertThat(decode(0x0012b827)).as("fsd f1, 16(t0)").contains(write(0x8000_1010L, 8));
        assertThat(decode(0x0062b2af)).as("amoadd.d t0, t1, (t0)")
                .contains(new MemoryAccess(0x8000_1000L, 8, true, true));
        assertThat(decode(0x1862a2af)).as("sc.w t0, t1, (t0)").contains(write(0x8000_1000L, 4));
        assertThat(decode(0x1002b2af)).as("lr.d t0, (t0)").contains(read(0x8000_1000L, 8));
        assertThat(decode(0x0082b303)).as("ld t1, 8(t0)").contains(read(0x8000_1008L, 8));
        assertThat(decode(0xffc2e303)).as("lwu t1, -4(t0)").contains(read(0x8000_0ffcL, 4));
        assertThat(decode(0x0102b087)).as("fld f1, 16(t0)").contains(read(0x8000_1010L, 8));
        assertThat(decode(0x00628293)).as("addi t0, t0, 6").isEmpty();
    }

    @Test
    void compressedLoadsAndStores() {
        assertThat(decode(0xe404)).as("c.sd s1, 8(s0)").contains(write(0x8000_3008L, 8));
        assertThat(decode(0xc044)).as("c.sw s1, 4(s0)").contains(write(0x8000_3004L, 4));
        assertThat(decode(0xe486)).as("c.sdsp ra, 72(sp)").contains(write(0x8000_2048L, 8));
        assertThat(decode(0xc206)).as("c.swsp ra, 4(sp)").contains(write(0x8000_2004L, 4));
        assertThat(decode(0x6404)).as("c.ld s1, 8(s0)").contains(read(0x8000_3008L, 8));
        assertThat(decode(0x4044)).as("c.lw s1, 4(s0)").contains(read(0x8000_3004L, 4));
        assertThat(decode(0x60a6)).as("c.ldsp ra, 72(sp)").contains(read(0x8000_2048L, 8));
        assertThat(decode(0x4092)).as("c.lwsp ra, 4(sp)").contains(read(0x8000_2004L, 4));
        assertThat(decode(0x0405)).as("c.addi s0, 1").isEmpty();
    }

    @Test
    void aWriteOverlapsARangeItTouchesAtAll() {
        MemoryAccess store = write(0x1004, 4);

        assertThat(store.overlaps(0x1000, 8)).isTrue();
        assertThat(store.overlaps(0x1007, 1)).isTrue();
        assertThat(store.overlaps(0x1008, 8)).isFalse();
        assertThat(store.overlaps(0x1000, 4)).isFalse();
    }

    @Test
    void aWatchpointIsHitByTheAccessesItWatches() {
        Watchpoint writes = new Watchpoint(Watchpoint.Kind.WRITE, 0x1000, 8);
        Watchpoint reads = new Watchpoint(Watchpoint.Kind.READ, 0x1000, 8);
        Watchpoint either = new Watchpoint(Watchpoint.Kind.ACCESS, 0x1000, 8);

        assertThat(writes.hitBy(write(0x1004, 4))).isTrue();
        assertThat(writes.hitBy(read(0x1004, 4))).isFalse();
        assertThat(reads.hitBy(read(0x1004, 4))).isTrue();
        assertThat(reads.hitBy(new MemoryAccess(0x1000, 8, true, true))).as("an AMO reads too").isTrue();
        assertThat(either.hitBy(write(0x1007, 1))).isTrue();
        assertThat(either.hitBy(read(0x1008, 8))).as("beside it").isFalse();
    }

    private static MemoryAccess read(long address, int size) {
        return new MemoryAccess(address, size, true, false);
    }

    private static MemoryAccess write(long address, int size) {
        return new MemoryAccess(address, size, false, true);
    }

    private Optional<MemoryAccess> decode(int bits) {
        return MemoryAccess.of(bits, hart);
    }
}
