package io.vmmlab.runtime.compare;

import io.vmmlab.api.cpu.AddressTranslation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunSetupTest {
    @Test
    void hartsIsaAndTextAreCheckedInOneLine() {
        assertThatThrownBy(() -> new RunSetup(0, "rv64imac", "")).hasMessage("--smp must be 1 to 8: 0");
        assertThatThrownBy(() -> new RunSetup(9, "rv64imac", "")).hasMessage("--smp must be 1 to 8: 9");
        assertThatThrownBy(() -> new RunSetup(1, "rv64imac_", "")).hasMessage("empty extension in ISA string: "
                + "'rv64imac_'");
        assertThatThrownBy(() -> new RunSetup(1, "rv64imac", "a\nb")).hasMessage("--append must be one line of "
                + "printable text");
        assertThatThrownBy(() -> new RunSetup(1, "rv64imac", "a\rb")).hasMessage("--append must be one line of "
                + "printable text");
    }

    @Test
    void labelSaysWhatEveryRunHad() {
        assertThat(RunSetup.DEFAULT.label()).isEqualTo("1 hart, rv64imac_sstc, sv57");
        assertThat(new RunSetup(3, " RV64IMAC_SSTC ", "").label()).isEqualTo("3 harts, rv64imac_sstc, sv57");
        assertThat(new RunSetup(1, "rv64imac_sstc", " quiet ", AddressTranslation.SV48).label())
                .isEqualTo("1 hart, rv64imac_sstc, sv48, append 'quiet'");
    }

    @Test
    void theTextComesBeforeEachRunsWorkloadSelection() {
        GuestSuite suite = GuestSuite.bundled(List.of("ptmod"), 2).withSetup(new RunSetup(1, "rv64imac", "quiet"));

        assertThat(suite.commandLine("ptmod")).isEqualTo("quiet workloads=ptmod scale=2");
        assertThat(suite.zeroIterationCommandLine("ptmod")).isEqualTo("quiet workloads=ptmod ptmod=0 scale=2");
        assertThat(suite.commandLine(GuestSuite.BOOT)).isEqualTo("quiet workloads= scale=2");
    }

    @Test
    void theTextMayNotSetWhatTheComparisonSets() {
        GuestSuite suite = GuestSuite.bundled(List.of("nullcall", "ptmod"), 1);

        for (String text : List.of("scale=50", "quiet workloads=nullcall", "nullcall=0")) {
            String option = text.substring(text.lastIndexOf(' ') + 1);
            assertThatThrownBy(() -> suite.withSetup(new RunSetup(1, "rv64imac", text)))
                    .hasMessage("--append must leave " + option.substring(0, option.indexOf('=')) + "= to the "
                            + "comparison, which sets it for every run: '" + option + "'");
        }
        assertThat(suite.withSetup(new RunSetup(1, "rv64imac", "quiet pagefault=3 loglevel=0")).setup().append())
                .as("a workload not compared, other options").isEqualTo("quiet pagefault=3 loglevel=0");
    }
}
