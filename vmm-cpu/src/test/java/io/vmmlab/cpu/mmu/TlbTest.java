package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.decode.DecodedPage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

final class TlbTest {
    private final long[] shared = new long[2 * Tlb.LENGTH];
    private final Tlb first = new Tlb(shared, 0);
    private final Tlb second = new Tlb(shared, Tlb.LENGTH);
    private final DecodedPage page = mock(DecodedPage.class);

    @Test
    void aNewTlbIsEmpty() {
        assertEmpty(first);
        assertEmpty(second);
    }

    /** A few fills are cleared one by one; the other TLB in the same array keeps its entries. */
    @Test
    void aFlushClearsTheEntriesFilledSinceTheLast() {
        fill(first, 3, 0x80003);
        fill(first, 1023, 0x803ff);
        fill(second, 3, 0x12343);

        first.flush();

        assertEmpty(first);
        assertThat(shared[Tlb.LENGTH + (3 << 2) + Tlb.LOAD_TAG]).isEqualTo(0x12343);
        assertThat(second.fetchTags[3]).isEqualTo(0x12343);
    }

    /** Past the fills it notes one by one, a flush clears everything. */
    @Test
    void manyFillsAreClearedWhole() {
        for (int index = 0; index < Tlb.SIZE; index += 3) {
            fill(first, index, 0x80000 + index);
        }

        first.flush();

        assertEmpty(first);
        fill(first, 5, 0x80005); // and it notes fills again
        first.flush();
        assertEmpty(first);
    }

    @Test
    void storeAndFetchFlushesKeepTheOtherParts() {
        for (int count : new int[] {2, Tlb.SIZE}) {
            for (int index = 0; index < count; index++) {
                fill(first, index, 0x80000 + index);
            }

            first.flushStores();
            assertThat(shared[(1 << 2) + Tlb.STORE_TAG]).isEqualTo(-1);
            assertThat(shared[(1 << 2) + Tlb.LOAD_TAG]).isEqualTo(0x80001);
            assertThat(first.fetchTags[1]).isEqualTo(0x80001);

            first.flushFetches();
            assertThat(first.fetchTags[1]).isEqualTo(-1);
            assertThat(first.fetchPages[1]).isNull();
            assertThat(shared[(1 << 2) + Tlb.LOAD_TAG]).isEqualTo(0x80001);

            first.flush();
            assertEmpty(first);
        }
    }

    /** Fills an entry's load, store and fetch parts, as the MMU does (it notes each fill). */
    private void fill(Tlb tlb, int index, long vpn) {
        int entry = tlb.base + (index << 2);
        tlb.data[entry + Tlb.LOAD_TAG] = vpn;
        tlb.data[entry + Tlb.LOAD_ADDEND] = 0x1000;
        tlb.data[entry + Tlb.STORE_TAG] = vpn;
        tlb.data[entry + Tlb.STORE_ADDEND] = 0x1000;
        tlb.filled(index);
        tlb.fetchTags[index] = vpn;
        tlb.fetchPages[index] = page;
        tlb.filled(index);
    }

    private static void assertEmpty(Tlb tlb) {
        long[] part = Arrays.copyOfRange(tlb.data, tlb.base, tlb.base + Tlb.LENGTH);
        assertThat(part).containsOnly(-1L);
        assertThat(tlb.fetchTags).containsOnly(-1L);
        assertThat(tlb.fetchPages).containsOnly((DecodedPage) null);
    }
}
