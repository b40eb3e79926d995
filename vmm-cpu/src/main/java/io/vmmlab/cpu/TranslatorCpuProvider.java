package io.vmmlab.cpu;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.cpu.rv64.ImplementedExtensions;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.translate.TranslatorConfig;

/**
 * The {@code translator} CPU engine: the same RV64IMAC(+H) hart as {@code interpreter}, with hot regions of
 * pre-decoded blocks translated to JVM bytecode (hidden classes) and run in their place. Architecturally identical
 * to the interpreter, counters included. Registered in {@code META-INF/services/io.vmmlab.api.spi.CpuProvider}.
 */
public final class TranslatorCpuProvider implements CpuProvider {

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public TranslatorCpuProvider() {
    }

    @Override
    public String name() {
        return "translator";
    }

    @Override
    public String description() {
        return "RV64IMAC(+F, D, H, Zba, Zbb, Zbc, Zbs, Zicond, Zbk*, Zkn, Zks) hart that translates hot blocks to JVM"
                + " bytecode; the interpreter runs cold code";
    }

    @Override
    public void checkIsa(IsaSpec isa) {
        ImplementedExtensions.require(isa);
    }

    @Override
    public Hart create(HartConfig config, HartResources resources) {
        // In deterministic mode regions are built on the hart's thread, so that when code is attached, and with it
        // which blocks get hot next and the translator's counters, does not depend on host timing.
        TranslatorConfig translator = resources.time().deterministic()
                ? TranslatorConfig.DEFAULT.withBuilder(TranslatorConfig.ON_THE_HART)
                : TranslatorConfig.DEFAULT;
        return new Rv64Hart(config, resources, translator);
    }
}
