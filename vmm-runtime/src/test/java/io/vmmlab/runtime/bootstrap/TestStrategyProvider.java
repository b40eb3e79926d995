package io.vmmlab.runtime.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

import java.util.function.Function;

/**
 * A strategy for tests: its name, description and module. ServiceLoader makes providers through a public
 * no-argument constructor, so each test strategy is a public subclass whose constructor calls this one.
 */
abstract class TestStrategyProvider implements VirtualizationStrategyProvider {
    private final String name;
    private final String description;
    private final Function<VmSpec, Module> module;

    TestStrategyProvider(String name, String description, Function<VmSpec, Module> module) {
        this.name = name;
        this.description = description;
        this.module = module;
    }

    /** A module that binds the hypervisor to one instance. */
    static Function<VmSpec, Module> binding(Hypervisor hypervisor) {
        return spec -> new AbstractModule() {
            @Override
            protected void configure() {
                bind(Hypervisor.class).toInstance(hypervisor);
            }
        };
    }

    /** A module that binds the hypervisor to a class Guice makes. */
    static Function<VmSpec, Module> binding(Class<? extends Hypervisor> type) {
        return spec -> new AbstractModule() {
            @Override
            protected void configure() {
                bind(Hypervisor.class).to(type);
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Module module(VmSpec spec) {
        return module.apply(spec);
    }
}
