package io.vmmlab.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module boundaries of DESIGN.md as ArchUnit rules over package names (each module owns one package root).
 */
final class ModuleRules {
    static final String[] STRATEGIES = {"fullvirt", "paravirt", "hwassist"};

    /** vmm-api depends on nothing of ours. */
    static final ArchRule API_IS_SELF_CONTAINED = noClasses()
            .that().resideInAPackage("io.vmmlab.api..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vmmlab.cpu..", "io.vmmlab.devices..", "io.vmmlab.runtime..", "io.vmmlab.cli..",
                    "io.vmmlab.fullvirt..", "io.vmmlab.paravirt..", "io.vmmlab.hwassist..")
            .allowEmptyShould(true)
            .because("vmm-api is the contract every plugin builds against and must depend on nothing of ours");

    /** The runtime and the command line know strategies, CPUs and devices only through ServiceLoader. */
    static final ArchRule RUNTIME_KNOWS_PLUGINS_ONLY_THROUGH_SERVICE_LOADER = noClasses()
            .that().resideInAnyPackage("io.vmmlab.runtime..", "io.vmmlab.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vmmlab.fullvirt..", "io.vmmlab.paravirt..", "io.vmmlab.hwassist..",
                    "io.vmmlab.cpu..", "io.vmmlab.devices..")
            .allowEmptyShould(true)
            .because("the runtime must find plugins with java.util.ServiceLoader, never name their classes");

    /** Devices see memory and interrupt lines, never a hart. */
    static final ArchRule DEVICES_DO_NOT_SEE_HARTS = noClasses()
            .that().resideInAPackage("io.vmmlab.devices..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vmmlab.cpu..", "io.vmmlab.runtime..", "io.vmmlab.fullvirt..", "io.vmmlab.paravirt..",
                    "io.vmmlab.hwassist..")
            .allowEmptyShould(true)
            .because("devices reach the machine only through the API's memory and interrupt interfaces");

    /** The CPU knows nothing of devices, strategies or the runtime. */
    static final ArchRule CPU_IS_INDEPENDENT = noClasses()
            .that().resideInAPackage("io.vmmlab.cpu..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vmmlab.devices..", "io.vmmlab.runtime..", "io.vmmlab.cli..", "io.vmmlab.fullvirt..",
                    "io.vmmlab.paravirt..", "io.vmmlab.hwassist..")
            .allowEmptyShould(true)
            .because("the hart is the physical CPU under every strategy");

    private ModuleRules() {
    }

    /**
     * Returns the rule that one strategy depends on no other strategy (nor on the runtime or devices).
     *
     * @param strategy the strategy's package name
     * @return the rule
     */
    static ArchRule strategyIsIndependent(String strategy) {
        java.util.List<String> forbidden = new java.util.ArrayList<>(
                java.util.List.of("io.vmmlab.runtime..", "io.vmmlab.cli..", "io.vmmlab.devices.."));
        for (String other : STRATEGIES) {
            if (!other.equals(strategy)) {
                forbidden.add("io.vmmlab." + other + "..");
            }
        }
        return noClasses()
                .that().resideInAPackage("io.vmmlab." + strategy + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(new String[0]))
                .allowEmptyShould(true)
                .because("strategies never depend on each other; they reach devices through the API");
    }
}
