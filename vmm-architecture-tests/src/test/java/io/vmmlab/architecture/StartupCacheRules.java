package io.vmmlab.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Rules that keep what a run executes inside the JDK's start-up cache (the AOT cache the {@code vmm} launcher makes on
 * JDK 25 and newer): code the cache cannot hold is generated again by every run, on the path to the guest's first
 * instruction or in the middle of its boot.
 */
final class StartupCacheRules {
    /**
     * The comparator factories of {@link java.util.Comparator} and {@link java.util.Map.Entry} return serializable
     * lambdas, which the cache cannot hold: each was spun at run time (a class and its method handle forms, a
     * millisecond or more of a cold JVM). A lambda of one's own, such as {@code (a, b) -> Long.compare(...)}, is
     * cached.
     */
    static final ArchRule NO_SERIALIZABLE_COMPARATOR_FACTORIES = noClasses()
            .that().resideInAPackage("io.vmmlab..")
            .should().callMethodWhere(new DescribedPredicate<JavaMethodCall>(
                    "a Comparator or Map.Entry factory that returns a serializable lambda") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTarget().getOwner().getName();
                    String name = call.getTarget().getName();
                    return owner.equals("java.util.Comparator") && name.matches("comparing.*|thenComparing.*")
                            || owner.equals("java.util.Map$Entry") && name.startsWith("comparingBy");
                }
            })
            .allowEmptyShould(true)
            .because("the JDK's start-up cache cannot hold serializable lambdas, so every run would generate them");

    private StartupCacheRules() {
    }
}
