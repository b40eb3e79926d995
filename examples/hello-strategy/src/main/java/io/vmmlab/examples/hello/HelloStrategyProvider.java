package io.vmmlab.examples.hello;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Scopes;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;

/**
 * The smallest complete strategy plugin: a name, a description and a Guice module that binds a hypervisor.
 * Listed in {@code META-INF/services/io.vmmlab.api.spi.VirtualizationStrategyProvider}.
 */
public final class HelloStrategyProvider implements VirtualizationStrategyProvider {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String description() {
        return "example plugin: runs a bare-metal image on the bare hart and counts what it sees";
    }

    @Override
    public Module module(VmSpec spec) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Hypervisor.class).to(HelloHypervisor.class).in(Scopes.SINGLETON);
            }
        };
    }
}
