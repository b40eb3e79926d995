package io.vmmlab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the production classes of every module against the module rules, and checks that each rule catches a
 * deliberate violation (the fixtures in {@code *.archfixture} packages), so a rule that silently matches nothing
 * cannot pass unnoticed.
 */
final class ModuleBoundariesTest {
    private final JavaClasses production = ArchitectureClasses.production();
    private final JavaClasses fixtures = ArchitectureClasses.fixtures();

    @Test
    void productionClassesOfEveryModuleAreImported() {
        assertThat(production.stream().map(javaClass -> javaClass.getPackageName().split("\\.")[2]).distinct())
                .contains("api", "runtime", "cli");
    }

    @Test
    void apiDependsOnNothingOfOurs() {
        ModuleRules.API_IS_SELF_CONTAINED.check(production);
    }

    @Test
    void runtimeKnowsPluginsOnlyThroughServiceLoader() {
        ModuleRules.RUNTIME_KNOWS_PLUGINS_ONLY_THROUGH_SERVICE_LOADER.check(production);
    }

    @Test
    void devicesDoNotSeeHarts() {
        ModuleRules.DEVICES_DO_NOT_SEE_HARTS.check(production);
    }

    @Test
    void cpuIsIndependent() {
        ModuleRules.CPU_IS_INDEPENDENT.check(production);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fullvirt", "paravirt", "hwassist"})
    void strategiesDoNotDependOnEachOther(String strategy) {
        ModuleRules.strategyIsIndependent(strategy).check(production);
    }

    @Test
    void apiRuleCatchesAnApiTypeThatUsesTheRuntime() {
        assertThat(ModuleRules.API_IS_SELF_CONTAINED.evaluate(fixtures).hasViolation()).isTrue();
    }

    @Test
    void runtimeRuleCatchesTheRuntimeNamingAStrategyClass() {
        assertThat(ModuleRules.RUNTIME_KNOWS_PLUGINS_ONLY_THROUGH_SERVICE_LOADER.evaluate(fixtures).hasViolation())
                .isTrue();
    }

    @Test
    void strategyRuleCatchesAStrategyUsingAnother() {
        assertThat(ModuleRules.strategyIsIndependent("paravirt").evaluate(fixtures).hasViolation()).isTrue();
        assertThat(ModuleRules.strategyIsIndependent("hwassist").evaluate(fixtures).hasViolation()).isFalse();
    }
}
