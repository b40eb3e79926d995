package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.spi.CpuProvider;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import io.vmmlab.cpu.csr.CsrAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class InterpreterCpuProviderTest {
    private static final TimeSource TIME = new TimeSource() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public long frequencyHz() {
            return 1;
        }
    };

    private static HartResources resources() {
        return new HartResources(new FlatRam(0x8000_0000L, 1 << 16), new SimpleMmioBus(), TIME,
                new SimpleCounters());
    }

    private static CpuProvider provider() {
        return provider("interpreter");
    }

    private static CpuProvider provider(String name) {
        List<CpuProvider> providers = ServiceLoader.load(CpuProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(providers).extracting(CpuProvider::name).containsExactly("interpreter", "translator");
        return providers.stream().filter(provider -> provider.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anIsaNamingAnExtensionTheHartDoesNotImplementIsRefused() {
        for (String name : List.of("interpreter", "translator")) {
            assertThatThrownBy(() -> provider(name).create(
                    new HartConfig(0, IsaSpec.parse("rv64imafdqc_zkr_sstc"), 0, Set.of()), resources()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("this hart does not implement q, zkr (it implements i, m, a, f, d, c, h");
            assertThat(provider(name).create(
                    new HartConfig(0, IsaSpec.parse("rv64imac_h_sstc"), 0, Set.of()), resources()).isa().has('h'))
                    .isTrue();
            // the same check before any board is built, for commands that build many
            assertThatThrownBy(() -> provider(name).checkIsa(IsaSpec.parse("rv64imafdqc_zkr_sstc")))
                    .hasMessageStartingWith("this hart does not implement q, zkr (it implements i, m, a, f, d, c, h");
            provider(name).checkIsa(IsaSpec.parse("rv64imac_h_sstc"));
            provider(name).checkIsa(IsaSpec.parse("rv64gc_zba_zbb_zbc_zbs_zihintpause_sstc"));
            provider(name).checkIsa(IsaSpec.parse("rv64gc_zicond_zbkb_zbkc_zbkx_zknd_zkne_zknh_zksed_zksh"));
            provider(name).checkIsa(IsaSpec.parse("rv64gc_zkn_zks"));
            // Zk also holds Zkr (the seed CSR) and Zkt (a timing promise), which this hart does not give
            assertThatThrownBy(() -> provider(name).checkIsa(IsaSpec.parse("rv64gc_zk")))
                    .hasMessageStartingWith("this hart does not implement zk (it implements");
            assertThatThrownBy(() -> provider(name).checkIsa(IsaSpec.parse("rv64gc_zkt")))
                    .hasMessageStartingWith("this hart does not implement zkt (it implements");
        }
    }

    @Test
    void serviceLoaderFindsTheTranslator() {
        var hart = provider("translator").create(
                new HartConfig(1, IsaSpec.parse("rv64imac"), 0x8000_0000L, Set.of()), resources());
        assertThat(hart.hartId()).isEqualTo(1);
        assertThat(hart.pc()).isEqualTo(0x8000_0000L);
        assertThatThrownBy(() -> provider("translator").create(
                new HartConfig(0, IsaSpec.parse("rv64imac"), 0, Set.of("turbo")), resources()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serviceLoaderFindsTheInterpreter() {
        var hart = provider().create(new HartConfig(3, IsaSpec.parse("rv64imac"), 0x8000_0000L, Set.of()),
                resources());
        assertThat(hart.hartId()).isEqualTo(3);
        assertThat(hart.readCsr(CsrAddress.MHARTID)).isEqualTo(3);
        assertThat(hart.pc()).isEqualTo(0x8000_0000L);
        assertThat(hart.privilege()).isEqualTo(PrivilegeMode.MACHINE);
    }

    @Test
    void unknownFeaturesAreRejected() {
        assertThatThrownBy(() -> provider().create(
                new HartConfig(0, IsaSpec.parse("rv64imac"), 0, Set.of("turbo")), resources()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turbo");
    }

    @Test
    void hypervisorCsrsExistOnlyWithTheHExtension() {
        var plain = provider().create(new HartConfig(0, IsaSpec.parse("rv64imac"), 0, Set.of()), resources());
        assertThatThrownBy(() -> plain.readCsr(CsrAddress.HSTATUS)).isInstanceOf(IllegalArgumentException.class);
        var hypervisor = provider().create(new HartConfig(0, IsaSpec.parse("rv64imac_h"), 0, Set.of()), resources());
        assertThat(hypervisor.readCsr(CsrAddress.HSTATUS) >>> 32 & 3).isEqualTo(2);
        assertThat(hypervisor.readCsr(CsrAddress.MISA) & (1 << ('h' - 'a'))).isNotZero();
        hypervisor.setPrivilege(PrivilegeMode.SUPERVISOR, true);
        assertThat(hypervisor.virtualMode()).isTrue();
        assertThatThrownBy(() -> plain.setPrivilege(PrivilegeMode.SUPERVISOR, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
