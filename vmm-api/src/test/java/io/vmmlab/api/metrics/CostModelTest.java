package io.vmmlab.api.metrics;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CostModelTest {

    @Test
    void pricesEachCategoryAndDefaultsToZero() {
        CostModel model = new CostModel("m", "src",
                Map.of(CostCategory.INSTRUCTION, 1.0, CostCategory.VM_EXIT, 1000.0));

        assertThat(model.cycles(CostCategory.INSTRUCTION)).isEqualTo(1.0);
        assertThat(model.cycles(CostCategory.VM_EXIT)).isEqualTo(1000.0);
        assertThat(model.cycles(CostCategory.HYPERCALL)).isZero();
    }

    @Test
    void modeledCyclesSumsEventsTimesPricesOverEveryCategory() {
        CostModel model = new CostModel("m", "src", Map.of(
                CostCategory.INSTRUCTION, 1.0, CostCategory.TRAP_ROUND_TRIP, 2000.0, CostCategory.PAGE_WALK, 2.5));
        CounterSnapshot counters = new CounterSnapshot(Map.of(
                new CounterKey("cpu", "instructions", CostCategory.INSTRUCTION), 1_000L,
                new CounterKey("exit", "ecall", CostCategory.TRAP_ROUND_TRIP), 3L,
                new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP), 2L,
                new CounterKey("mmu", "walk", CostCategory.PAGE_WALK), 4L,
                new CounterKey("info", "ticks", CostCategory.NONE), 999L));

        assertThat(model.modeledCycles(counters)).isEqualTo(1_000 + 5 * 2000.0 + 4 * 2.5);
    }

    @Test
    void modeledCyclesOfAnEmptySnapshotIsZero() {
        CostModel model = new CostModel("m", "src", Map.of(CostCategory.INSTRUCTION, 1.0));

        assertThat(model.modeledCycles(new CounterSnapshot(Map.of()))).isZero();
    }

    @Test
    void refusesNegativePrices() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CostModel("m", "src", Map.of(CostCategory.VM_EXIT, -1.0)))
                .withMessage("cost must be a finite non-negative number: -1.0");
    }

    @Test
    void refusesNaNPrices() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CostModel("m", "src", Map.of(CostCategory.VM_EXIT, Double.NaN)))
                .withMessage("cost must be a finite non-negative number: NaN");
    }

    @Test
    void acceptsAZeroPrice() {
        assertThat(new CostModel("m", "src", Map.of(CostCategory.CALLOUT, 0.0)).cycles(CostCategory.CALLOUT))
                .isZero();
    }

    @Test
    void refusesMissingNameOrSource() {
        assertThatNullPointerException()
                .isThrownBy(() -> new CostModel(null, "src", Map.of()))
                .withMessage("name is null");
        assertThatNullPointerException()
                .isThrownBy(() -> new CostModel("m", null, Map.of()))
                .withMessage("source is null");
    }

    @Test
    void copiesThePricesSoLaterChangesDoNotLeakIn() {
        Map<CostCategory, Double> prices = new HashMap<>(Map.of(CostCategory.HYPERCALL, 10.0));
        CostModel model = new CostModel("m", "src", prices);

        prices.put(CostCategory.HYPERCALL, 99.0);

        assertThat(model.cycles(CostCategory.HYPERCALL)).isEqualTo(10.0);
        assertThatThrownBy(() -> model.cyclesPerEvent().put(CostCategory.NONE, 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void acceptsAnEnumMap() {
        Map<CostCategory, Double> prices = new EnumMap<>(CostCategory.class);
        prices.put(CostCategory.TLB_FLUSH, 50.0);

        assertThat(new CostModel("m", "src", prices).cycles(CostCategory.TLB_FLUSH)).isEqualTo(50.0);
    }
}
