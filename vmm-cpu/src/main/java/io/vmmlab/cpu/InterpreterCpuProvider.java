package io.vmmlab.cpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.cpu.rv64.ImplementedExtensions;
import io.vmmlab.cpu.rv64.Rv64Hart;

/**
 * The {@code interpreter} CPU engine: an RV64IMAC hart (with the H extension when the ISA names it) that
 * pre-decodes each code page once and interprets the decoded form. Registered in
 * {@code META-INF/services/io.vmmlab.api.spi.CpuProvider}.
 */
public final class InterpreterCpuProvider implements CpuProvider {

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public InterpreterCpuProvider() {
    }

    @Override
    public String name() {
        return "interpreter";
    }

    @Override
    public String description() {
        return "RV64IMAC(+F, D, H, Zba, Zbb, Zbc, Zbs, Zicond, Zbk*, Zkn, Zks) interpreter over pre-decoded pages,"
                + " software TLB, Sv39/Sv48/Sv57";
    }

    @Override
    public void checkIsa(IsaSpec isa) {
        ImplementedExtensions.require(isa);
    }

    @Override
    public Hart create(HartConfig config, HartResources resources) {
        return new Rv64Hart(config, resources);
    }
}
