package io.vmmlab.api.sbi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HartStatusTableTest {
    @Test
    void everyHartStartsStopped() {
        HartStatusTable table = new HartStatusTable(3);

        assertThat(table.hartCount()).isEqualTo(3);
        for (int hartId = 0; hartId < 3; hartId++) {
            assertThat(table.status(hartId)).isEqualTo(HartStatus.STOPPED);
            assertThat(table.isStarted(hartId)).isFalse();
        }
    }

    @Test
    void startingAndStoppingOneHartLeavesTheOthersAlone() {
        HartStatusTable table = new HartStatusTable(2);

        table.markStarted(1);
        assertThat(table.isStarted(1)).isTrue();
        assertThat(table.status(1)).isEqualTo(HartStatus.STARTED);
        assertThat(table.isStarted(0)).isFalse();

        table.markStopped(1);
        assertThat(table.status(1)).isEqualTo(HartStatus.STOPPED);
        assertThat(table.isStarted(1)).isFalse();
    }

    @Test
    void rejectsANegativeHartCountAndUnknownHarts() {
        assertThatThrownBy(() -> new HartStatusTable(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HartStatusTable(1).status(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
