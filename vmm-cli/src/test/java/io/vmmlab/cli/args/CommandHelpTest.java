package io.vmmlab.cli.args;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class CommandHelpTest {
    private static final List<Option<?>> OPTIONS = List.of(
            Option.of("--strategy", "NAME", ValueType.STRING, "Strategy (see 'vmm strategies').").withDefault("native"),
            Option.of("--mem", "SIZE", ValueType.STRING, "RAM size, such as 256M or 1G.").withDefault("256M"),
            Option.of("--max-instructions", "N", ValueType.LONG, "Stop after N guest instructions; 0 for no limit.")
                    .withDefaultInDescription("0"),
            Option.of("--disk", "DISK", ValueType.STRING, "Raw disk image. Repeatable.").repeatable(),
            Option.of("--workloads", "WORKLOAD", ValueType.STRING, "Workloads to run, in order; 'boot' boots and "
                    + "powers off only, and when present overheads are net of it.").separatedBy(","),
            Option.negatableFlag("--deterministic", "Derive time from retired instructions."),
            Option.flag("--quiet", "Do not print the summary.").withShortName("-q"));
    private static final CommandSyntax RUN = CommandSyntax.of("run", List.of("Run a guest on the board.",
            "A second paragraph that is long enough to need wrapping at eighty columns, which it gets here."),
            OPTIONS);

    @Test
    void helpMentionsEveryOptionWithItsDescriptionAndShownDefault() {
        String help = CommandHelp.format("vmm", RUN);

        for (Option<?> option : RUN.options()) {
            assertThat(help).contains(option.synopsis());
        }
        assertThat(help).startsWith("Usage: vmm run [OPTION]..." + System.lineSeparator()
                        + "Run a guest on the board." + System.lineSeparator())
                .contains("      --strategy=NAME").contains("Strategy (see 'vmm strategies'); default native.")
                .contains("RAM size, such as 256M or 1G; default 256M.")
                .contains("0 for no limit.").doesNotContain("default 0")
                .contains("--disk=DISK").contains("--workloads=WORKLOAD[,WORKLOAD...]")
                .contains("--[no-]deterministic").contains("  -q, --quiet").contains("  -h, --help")
                .contains("Show this help message and exit.");
    }

    @Test
    void helpFitsEightyColumns() {
        assertThat(CommandHelp.format("vmm", RUN).lines())
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(HelpText.WIDTH));
    }

    @Test
    void parametersAreShownInTheUsageLineAndListed() {
        Parameter<String> command = Parameter.optional("COMMAND", ValueType.STRING, "The command to describe.");
        String help = CommandHelp.format("vmm", new CommandSyntax("help", List.of("Show help."), List.of(),
                List.of(command)));

        assertThat(help).startsWith("Usage: vmm help [OPTION]... [COMMAND]").contains("Parameters:")
                .contains("  [COMMAND]  The command to describe.");
    }
}
