package io.vmmlab.fullvirt.shadow;

import io.vmmlab.fullvirt.shadow.WriteProtectTracker.TableUse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class WriteProtectTrackerTest {
    private final WriteProtectTracker tracker = new WriteProtectTracker();

    @Test
    void aPageIsNewOnlyAtItsFirstUseAndKeepsEachDistinctUseOnce() {
        TableUse root = new TableUse(0x8000_0000_0008_0200L, 2, 0);
        TableUse leaf = new TableUse(0x8000_0000_0008_0200L, 0, 0x4000_0000L);

        assertThat(tracker.track(0x80201L, root)).isTrue();
        assertThat(tracker.track(0x80201L, new TableUse(root.context(), root.level(), root.vaBase()))).isFalse();
        assertThat(tracker.track(0x80201L, leaf)).isFalse();

        assertThat(tracker.isTracked(0x80201L)).isTrue();
        assertThat(tracker.uses(0x80201L)).containsExactlyInAnyOrder(root, leaf);
        assertThat(tracker.trackedPages()).isEqualTo(1);
    }

    @Test
    void usesAreEqualExactlyWhenContextLevelAndRangeAre() {
        TableUse use = new TableUse(7, 1, 0x20_0000L);

        assertThat(use).isEqualTo(new TableUse(7, 1, 0x20_0000L)).hasSameHashCodeAs(new TableUse(7, 1, 0x20_0000L));
        assertThat(use).isNotEqualTo(new TableUse(8, 1, 0x20_0000L));
        assertThat(use).isNotEqualTo(new TableUse(7, 2, 0x20_0000L));
        assertThat(use).isNotEqualTo(new TableUse(7, 1, 0x40_0000L));
        assertThat(use).isNotEqualTo(null).isNotEqualTo("use");
    }
}
