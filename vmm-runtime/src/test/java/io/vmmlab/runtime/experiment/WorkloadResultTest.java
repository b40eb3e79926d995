package io.vmmlab.runtime.experiment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class WorkloadResultTest {

    @Test
    void readsResultLinesAndIgnoresTheRest() {
        String console = """
                vmmlab kernel: hart 0
                RESULT name=nullcall iters=50000 check=ok ticks=2
                RESULT name=mmio iters=0 check=FAIL reason=unknown-workload
                RESULT name=broken iters=lots check=ok
                SUITE done results=2 failed=1 ticks=3 leaked_pages=0
                """;

        assertThat(WorkloadResult.parseAll(console)).extracting(WorkloadResult::name, WorkloadResult::iterations,
                        WorkloadResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nullcall", 50000L, true),
                        org.assertj.core.groups.Tuple.tuple("mmio", 0L, false));
        assertThat(WorkloadResult.parseAll(console).get(1).fields()).containsEntry("reason", "unknown-workload");
    }
}
