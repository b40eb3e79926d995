package io.vmmlab.api.metrics;

import org.junit.jupiter.api.Test;

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

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> new CounterKey(null, "ecall", CostCategory.INSTRUCTION))
                .isInstanceOf(NullPointerException.class).hasMessage("group is null");
    }
}
