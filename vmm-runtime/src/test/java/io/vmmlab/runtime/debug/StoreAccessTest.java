package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The writes a watchpoint looks for: every store form of RV64GC, and what writes nothing. */
final class StoreAccessTest {
    private final Hart hart = mock(Hart.class);

    StoreAccessTest() {
        when(hart.register(2)).thenReturn(0x8000_2000L); // sp
        when(hart.register(5)).thenReturn(0x8000_1000L); // t0
        when(hart.register(8)).thenReturn(0x8000_3000L); // s0
        when(hart.register(9)).thenReturn(0x8000_4000L); // s1
    }

    @Test
    void fullWidthStoresFloatingPointStoresScAndAmos() {
        assertThat(decode(0x0062b423)).as("sd t1, 8(t0)").contains(new StoreAccess(0x8000_1008L, 8));
        assertThat(decode(0xfe62ae23)).as("sw t1, -4(t0)").contains(new StoreAccess(0x8000_0ffcL, 4));
        assertThat(decode(0x00628023)).as("sb t1, 0(t0)").contains(new StoreAccess(0x8000_1000L, 1));
        assertThat(decode(0x0012b827)).as("fsd f1, 16(t0)").contains(new StoreAccess(0x8000_1010L, 8));
        assertThat(decode(0x0062b2af)).as("amoadd.d t0, t1, (t0)").contains(new StoreAccess(0x8000_1000L, 8));
        assertThat(decode(0x1862a2af)).as("sc.w t0, t1, (t0)").contains(new StoreAccess(0x8000_1000L, 4));
        assertThat(decode(0x1002b2af)).as("lr.d t0, (t0)").isEmpty();
        assertThat(decode(0x0082b303)).as("ld t1, 8(t0)").isEmpty();
    }

    @Test
    void compressedStores() {
        assertThat(decode(0xe404)).as("c.sd s1, 8(s0)").contains(new StoreAccess(0x8000_3008L, 8));
        assertThat(decode(0xc044)).as("c.sw s1, 4(s0)").contains(new StoreAccess(0x8000_3004L, 4));
        assertThat(decode(0xe486)).as("c.sdsp ra, 72(sp)").contains(new StoreAccess(0x8000_2048L, 8));
        assertThat(decode(0xc206)).as("c.swsp ra, 4(sp)").contains(new StoreAccess(0x8000_2004L, 4));
        assertThat(decode(0x6110)).as("c.ld a2, 0(a0)").isEmpty();
    }

    @Test
    void aWriteOverlapsARangeItTouchesAtAll() {
        StoreAccess store = new StoreAccess(0x1004, 4);

        assertThat(store.overlaps(0x1000, 8)).isTrue();
        assertThat(store.overlaps(0x1007, 1)).isTrue();
        assertThat(store.overlaps(0x1008, 8)).isFalse();
        assertThat(store.overlaps(0x1000, 4)).isFalse();
    }

    private Optional<StoreAccess> decode(int bits) {
        return StoreAccess.of(bits, hart);
    }
}
