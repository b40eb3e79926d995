package io.vmmlab.api.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CounterKeyTest {
    /** Keys are equal, with equal hash codes, exactly when group, reason and category are. */
    @Test
    void keysAreEqualWhenAllThreePartsAre() {
        CounterKey key = new CounterKey("exit", "ecall", CostCategory.TRAP_ROUND_TRIP);

        assertThat(key).isEqualTo(new CounterKey("exit", "ecall", CostCategory.TRAP_ROUND_TRIP));
        assertThat(key).hasSameHashCodeAs(new CounterKey("exit", "ecall", CostCategory.TRAP_ROUND_TRIP));
        assertThat(key).isNotEqualTo(new CounterKey("exit", "ecall", CostCategory.INSTRUCTION));
        assertThat(key).isNotEqualTo(new CounterKey("exit", "mmio-write", CostCategory.TRAP_ROUND_TRIP));
        assertThat(key).isNotEqualTo(new CounterKey("trap", "ecall", CostCategory.TRAP_ROUND_TRIP));
        assertThat(key).isNotEqualTo("exit.ecall");
        assertThat(key.qualifiedName()).isEqualTo("exit.ecall");
    }

    /** Reports list counters by qualified name: group first, then reason, whatever the category. */
    @Test
    void keysSortByQualifiedName() {
        CounterKey trap = new CounterKey("trap", "ecall", CostCategory.INSTRUCTION);
        CounterKey exitWrite = new CounterKey("exit", "mmio-write", CostCategory.INSTRUCTION);
        CounterKey exitEcall = new CounterKey("exit", "ecall", CostCategory.TRAP_ROUND_TRIP);
        List<CounterKey> keys = new ArrayList<>(List.of(trap, exitWrite, exitEcall));

        keys.sort(CounterKey.BY_QUALIFIED_NAME);

        assertThat(keys).containsExactly(exitEcall, exitWrite, trap);
        assertThat(CounterKey.BY_QUALIFIED_NAME.compare(exitEcall, new CounterKey("exit", "ecall",
                CostCategory.INSTRUCTION))).isZero();
    }

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> new CounterKey(null, "ecall", CostCategory.INSTRUCTION))
                .isInstanceOf(NullPointerException.class).hasMessage("group is null");
    }
}
