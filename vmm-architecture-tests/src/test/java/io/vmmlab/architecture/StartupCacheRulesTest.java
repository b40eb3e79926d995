package io.vmmlab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the production classes against the start-up cache rules, and that each rule catches its fixture. */
final class StartupCacheRulesTest {
    private static JavaClasses production;
    private static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption((Location location) -> !location.contains("/archfixture/"))
                .importPackages("io.vmmlab");
        fixtures = new ClassFileImporter()
                .withImportOption((Location location) -> location.contains("/archfixture/"))
                .importPackages("io.vmmlab");
    }

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
