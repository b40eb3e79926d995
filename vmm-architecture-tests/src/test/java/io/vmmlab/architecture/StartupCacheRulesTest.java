package io.vmmlab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the production classes against the start-up cache rules, and that each rule catches its fixture. */
final class StartupCacheRulesTest {
    private final JavaClasses production = ArchitectureClasses.production();
    private final JavaClasses fixtures = ArchitectureClasses.fixtures();

    @Test
    void productionCodeUsesNoSerializableComparatorFactory() {
        StartupCacheRules.NO_SERIALIZABLE_COMPARATOR_FACTORIES.check(production);
    }

    @Test
    void comparatorRuleCatchesComparingLongAndComparingByKey() {
        assertThat(StartupCacheRules.NO_SERIALIZABLE_COMPARATOR_FACTORIES.evaluate(fixtures).getFailureReport()
                .getDetails())
                .anyMatch(line -> line.contains("Comparator.comparingLong"))
                .anyMatch(line -> line.contains("Entry.comparingByKey"));
    }
}
