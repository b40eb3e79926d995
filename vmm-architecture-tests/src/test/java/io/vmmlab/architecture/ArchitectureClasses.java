package io.vmmlab.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * The classes the rules are checked against: every module's production classes, and the deliberate violations.
 * Each set is imported once per test JVM (a holder class each), however many tests check it.
 */
final class ArchitectureClasses {
    private ArchitectureClasses() {
    }

    /** Returns the production classes of every module, without tests or fixtures. */
    static JavaClasses production() {
        return Production.CLASSES;
    }

    /** Returns the fixtures: classes in {@code *.archfixture} test packages that break one rule each on purpose. */
    static JavaClasses fixtures() {
        return Fixtures.CLASSES;
    }

    private static final class Production {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption((Location location) -> !location.contains("/archfixture/"))
                .importPackages("io.vmmlab");
    }

    private static final class Fixtures {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption((Location location) -> location.contains("/archfixture/"))
                .importPackages("io.vmmlab");
    }
}
