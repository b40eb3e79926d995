package io.vmmlab.runtime.archfixture;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A deliberate violation of the start-up cache rule: comparator factories that return serializable lambdas. */
final class SerializableComparators {
    private SerializableComparators() {
    }

    static void sortBoth(List<long[]> ranges, List<Map.Entry<String, Long>> counters) {
        ranges.sort(Comparator.comparingLong(range -> range[0]));
        counters.sort(Map.Entry.comparingByKey());
    }
}
