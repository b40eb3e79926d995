package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.decode.DecodedPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

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
        fillAll(first, 3, 0x80003);
        fillAll(first, 1023, 0x803ff);
        fillAll(second, 3, 0x12343);

        first.flush();

        assertEmpty(first);
        assertThat(shared[Tlb.LENGTH + (3 << 2) + Tlb.LOAD_TAG]).isEqualTo(0x12343);
        assertThat(second.fetchTags[3]).isEqualTo(0x12343);
    }

    /** Up to the log's size entries are cleared one by one, past it all at once: the last fill counts either way. */
    @ParameterizedTest
    @ValueSource(ints = {1, Tlb.FILL_LOG - 1, Tlb.FILL_LOG, Tlb.FILL_LOG + 1, Tlb.SIZE})
    void everyFilledEntryIsClearedWhateverTheirNumber(int fills) {
        for (int index = 0; index < fills; index++) {
            first.fillData(first.position((long) index << 12) + Tlb.LOAD_TAG, index, 0x1000);
        }

        first.flush();

        assertEmpty(first);
        first.fillFetch(5, 5, page); // and it notes fills again
        first.flush();
        assertEmpty(first);
    }

    /** The interpreter's loop follows code into another page only through a fetch entry for exactly that page. */
    @Test
    void aCachedFetchPageNeedsTheExactPageNumber() {
        first.fillFetch(5, 0x80005, page);

        assertThat(first.cachedFetchPage(0x80005_abcL)).isSameAs(page);
        assertThat(first.cachedFetchPage(0x80005_000L + Tlb.SIZE * 0x1000L)).as("same index, other page").isNull();
        assertThat(first.cachedFetchPage(0x80006_000L)).isNull();
        assertThat(second.cachedFetchPage(0x80005_abcL)).as("another context's TLB").isNull();

        first.flushFetches();
        assertThat(first.cachedFetchPage(0x80005_abcL)).isNull();
    }

    @Test
    void storeAndFetchFlushesKeepTheOtherParts() {
        for (int count : new int[] {2, Tlb.SIZE}) {
            for (int index = 0; index < count; index++) {
                fillAll(first, index, 0x80000 + index);
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

    /** A host's flush of one virtual page empties that slot in this TLB only. */
    @Test
    void flushingASlotKeepsTheOthers() {
        fillAll(first, 4, 0x80004);
        fillAll(first, 5, 0x80005);
        fillAll(second, 4, 0x80004);

        first.flushSlot(4);

        assertThat(shared[(4 << 2) + Tlb.LOAD_TAG]).isEqualTo(-1);
        assertThat(shared[(4 << 2) + Tlb.STORE_TAG]).isEqualTo(-1);
        assertThat(first.cachedFetchPage(0x80004_000L)).isNull();
        assertThat(shared[(5 << 2) + Tlb.LOAD_TAG]).isEqualTo(0x80005);
        assertThat(first.cachedFetchPage(0x80005_000L)).isSameAs(page);
        assertThat(second.cachedFetchPage(0x80004_000L)).isSameAs(page);
        first.flush();
        assertEmpty(first);
    }

    /**
     * Revoking writes to a physical page drops the store entries of every virtual page mapped to it (slow ones too),
     * whether the fill log or the whole TLB is scanned; load and fetch entries, and stores to other pages, stay.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, Tlb.SIZE})
    void revokingWritesDropsOnlyTheStoresToThatPage(int fills) {
        for (int index = 0; index < fills; index++) {
            fillAll(first, index, 0x80000 + index); // maps vpn v to physical page v + 1 (addend 0x1000)
        }
        int slowAlias = 2; // another virtual page onto the same physical page, through the slow path
        first.fillData(first.position(0x90002_000L) + Tlb.STORE_TAG, 0x90002 | Tlb.SLOW, 0x80002_000L - 0x90002_000L);
        fillAll(second, 1, 0x80001); // another context's TLB is the caller's to revoke

        first.flushStoresTo(0x80002_000L);

        assertThat(shared[(1 << 2) + Tlb.STORE_TAG]).as("vpn 0x80001 stores to page 0x80002").isEqualTo(-1);
        assertThat(shared[(slowAlias << 2) + Tlb.STORE_TAG]).as("the slow alias").isEqualTo(-1);
        assertThat(shared[(1 << 2) + Tlb.LOAD_TAG]).as("its load entry").isEqualTo(0x80001);
        assertThat(first.fetchTags[1]).as("its fetch entry").isEqualTo(0x80001);
        assertThat(shared[Tlb.STORE_TAG]).as("a store to page 0x80001").isEqualTo(0x80000);
        assertThat(shared[Tlb.LENGTH + (1 << 2) + Tlb.STORE_TAG]).as("the other TLB").isEqualTo(0x80001);
    }

    /**
     * Random fills (of any part, often the same entries again) and flushes of every kind leave the TLB as one whose
     * flushes clear everything would be.
     */
    @Test
    void randomFillsAndFlushesMatchFlushingEverything() {
        Random random = new Random(11);
        long[] model = new long[Tlb.LENGTH];
        long[] modelFetch = new long[Tlb.SIZE];
        boolean[] modelGlobal = new boolean[Tlb.LENGTH];
        boolean[] modelFetchGlobal = new boolean[Tlb.SIZE];
        Arrays.fill(model, -1);
        Arrays.fill(modelFetch, -1);
        for (int round = 0; round < 20000; round++) {
            int index = random.nextInt(random.nextBoolean() ? 16 : Tlb.SIZE);
            long vpn = random.nextBoolean() ? random.nextInt(64) : random.nextInt(1 << 20);
            boolean global = random.nextInt(4) == 0;
            switch (random.nextInt(13)) {
                case 11 -> {
                    first.flushSlot(index);
                    model[(index << 2) + Tlb.LOAD_TAG] = -1;
                    model[(index << 2) + Tlb.STORE_TAG] = -1;
                    modelFetch[index] = -1;
                }
                case 12 -> {
                    first.flushNonGlobal();
                    for (int i = 0; i < Tlb.LENGTH; i += 2) {
                        if (!modelGlobal[i]) {
                            model[i] = -1;
                        }
                    }
                    for (int i = 0; i < Tlb.SIZE; i++) {
                        if (!modelFetchGlobal[i]) {
                            modelFetch[i] = -1;
                        }
                    }
                }
                case 10 -> { // revoke the writes to the page of a random entry's store part
                    int victim = (random.nextInt(Tlb.SIZE) << 2) + Tlb.STORE_TAG;
                    long physical = (model[victim] << 12) + model[victim + 1];
                    first.flushStoresTo(physical);
                    for (int i = Tlb.STORE_TAG; i < Tlb.LENGTH; i += 4) {
                        if (model[i] != -1 && (model[i] << 12) + model[i + 1] == physical) {
                            model[i] = -1;
                        }
                    }
                }
                case 0 -> {
                    first.flush();
                    Arrays.fill(model, -1);
                    Arrays.fill(modelFetch, -1);
                }
                case 1 -> {
                    first.flushStores();
                    for (int i = Tlb.STORE_TAG; i < Tlb.LENGTH; i += 4) {
                        model[i] = -1;
                    }
                }
                case 2 -> {
                    first.flushFetches();
                    Arrays.fill(modelFetch, -1);
                }
                case 3, 4, 5 -> {
                    first.fillFetch(index, vpn, page, global);
                    modelFetch[index] = vpn;
                    modelFetchGlobal[index] = global;
                }
                default -> {
                    int part = random.nextBoolean() ? Tlb.LOAD_TAG : Tlb.STORE_TAG;
                    long addend = random.nextBoolean() ? 0x2000 : 0x3000; // so that pages have aliases
                    first.fillData((index << 2) + part, vpn, addend, global);
                    model[(index << 2) + part] = vpn;
                    model[(index << 2) + part + 1] = addend;
                    modelGlobal[(index << 2) + part] = global;
                }
            }
            for (int i = 0; i < Tlb.LENGTH; i += 2) { // tags (addends of empty entries do not matter)
                if (model[i] == -1 && shared[i] != -1 || model[i] != -1 && shared[i] != model[i]) {
                    throw new AssertionError("round " + round + ": data tag " + i + " is " + shared[i]);
                }
            }
            if (!Arrays.equals(modelFetch, first.fetchTags)) {
                throw new AssertionError("round " + round + ": fetch tags differ");
            }
        }
    }

    /**
     * Entries emptied one by one leave their indices in the fill log; when it is full it keeps the live ones once,
     * so a guest that fences one address space again and again does not make every later flush scan the whole TLB.
     */
    @Test
    void theFillLogKeepsOnlyLiveIndicesWhenItFillsUp() {
        for (int round = 0; round < 40; round++) {
            for (int index = 0; index < 10; index++) {
                first.fillData(first.position((long) index << 12) + Tlb.LOAD_TAG, index, 0x1000, index < 2);
            }
            first.flushNonGlobal();
        }

        assertThat(first.fillLogOverflowed()).isFalse();
        assertThat(shared[Tlb.LOAD_TAG]).as("a global entry").isZero();
        assertThat(shared[(5 << 2) + Tlb.LOAD_TAG]).isEqualTo(-1);
        first.flush();
        assertEmpty(first);
    }

    /** Fills an entry's load, store and fetch parts, as the MMU does. */
    private void fillAll(Tlb tlb, int index, long vpn) {
        int position = tlb.base + (index << 2);
        tlb.fillData(position + Tlb.LOAD_TAG, vpn, 0x1000);
        tlb.fillData(position + Tlb.STORE_TAG, vpn, 0x1000);
        tlb.fillFetch(index, vpn, page);
    }

    private static void assertEmpty(Tlb tlb) {
        long[] part = Arrays.copyOfRange(tlb.data, tlb.base, tlb.base + Tlb.LENGTH);
        assertThat(part).containsOnly(-1L);
        assertThat(tlb.fetchTags).containsOnly(-1L);
        assertThat(tlb.fetchPages).containsOnly((DecodedPage) null);
    }
}
