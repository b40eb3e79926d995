package io.vmmlab.cli.args;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class OptionTest {

    @Test
    void namesIncludeTheShortAndTheNegativeForm() {
        assertThat(Option.flag("--quiet", "Quiet.").withShortName("-q").names()).containsExactly("-q", "--quiet");
        assertThat(Option.negatableFlag("--deterministic", "Deterministic.").names())
                .containsExactly("--deterministic", "--no-deterministic");
        assertThat(Option.HELP.names()).containsExactly("-h", "--help");
    }

    @Test
    void theSynopsisShowsTheValueLabel() {
        assertThat(Option.of("--mem", "SIZE", ValueType.STRING, "RAM size.").synopsis()).isEqualTo("--mem=SIZE");
        assertThat(Option.of("--strategies", "NAME", ValueType.STRING, "Strategies.").separatedBy(",").synopsis())
                .isEqualTo("--strategies=NAME[,NAME...]");
        assertThat(Option.negatableFlag("--deterministic", "Deterministic.").synopsis())
                .isEqualTo("--[no-]deterministic");
        assertThat(Option.HELP.synopsis()).isEqualTo("-h, --help");
    }

    @Test
    void aShownDefaultReplacesTheFullStopOfTheDescription() {
        assertThat(Option.of("--mem", "SIZE", ValueType.STRING, "RAM size, such as 256M or 1G.").withDefault("256M")
                .helpDescription()).isEqualTo("RAM size, such as 256M or 1G; default 256M.");
        assertThat(Option.of("--scale", "N", ValueType.INT, "Multiply iterations").withDefault("1").helpDescription())
                .isEqualTo("Multiply iterations; default 1.");
    }

    @Test
    void aDefaultInTheDescriptionAnEmptyDefaultAndAFlagsFalseAreNotShown() {
        assertThat(Option.of("--timeout", "S", ValueType.DOUBLE, "Stop after S seconds; 0 for no limit.")
                .withDefaultInDescription("0").helpDescription()).isEqualTo("Stop after S seconds; 0 for no limit.");
        assertThat(Option.of("--append", "CMDLINE", ValueType.STRING, "Kernel command line.").withDefault("")
                .helpDescription()).isEqualTo("Kernel command line.");
        assertThat(Option.flag("--quiet", "Do not print the summary.").helpDescription())
                .isEqualTo("Do not print the summary.");
    }

    @Test
    void aDefaultIsConvertedWhenDeclared() {
        assertThat(Option.of("--smp", "N", ValueType.INT, "Harts.").withDefault("2").defaults()).containsExactly(2);
        assertThat(Option.of("--ids", "N", ValueType.INT, "Ids.").separatedBy(",").withDefault("1,2").defaults())
                .containsExactly(1, 2);
        assertThatIllegalArgumentException().isThrownBy(
                () -> Option.of("--smp", "N", ValueType.INT, "Harts.").withDefault("one"));
    }

    @Test
    void badDeclarationsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("quiet", "Quiet."));
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("--Quiet", "Quiet."));
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("--quiet", " "));
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("--quiet", "Quiet.").withShortName("-qq"));
        assertThatIllegalArgumentException().isThrownBy(() -> Option.of("--mem", "", ValueType.STRING, "RAM."));
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("--quiet", "Quiet.").repeatable());
        assertThatIllegalArgumentException().isThrownBy(() -> Option.flag("--quiet", "Quiet.").separatedBy(","));
        assertThatIllegalArgumentException().isThrownBy(
                () -> Option.of("--ids", "N", ValueType.INT, "Ids.").separatedBy(""));
    }

    @Test
    void aCommandRejectsTwoOptionsOfOneName() {
        Option<Boolean> quiet = Option.flag("--quiet", "Quiet.");
        Option<Boolean> help = Option.flag("--help", "Mine.");
        Option<Boolean> shortHelp = Option.flag("--hush", "Hush.").withShortName("-h");
        Option<Boolean> noCheck = Option.flag("--no-check", "No check.");
        Option<Boolean> check = Option.negatableFlag("--check", "Check.");

        assertThatIllegalArgumentException().isThrownBy(
                () -> CommandSyntax.of("c", List.of("C."), List.of(quiet, Option.flag("--quiet", "Again."))));
        assertThatIllegalArgumentException().isThrownBy(() -> CommandSyntax.of("c", List.of("C."), List.of(help)));
        assertThatIllegalArgumentException().isThrownBy(() -> CommandSyntax.of("c", List.of("C."), List.of(shortHelp)));
        assertThatIllegalArgumentException().isThrownBy(
                () -> CommandSyntax.of("c", List.of("C."), List.of(noCheck, check)));
    }

    @Test
    void aRequiredParameterCannotFollowAnOptionalOne() {
        Parameter<String> optional = Parameter.optional("A", ValueType.STRING, "A.");
        Parameter<String> required = Parameter.required("B", ValueType.STRING, "B.");

        assertThatIllegalArgumentException().isThrownBy(
                () -> new CommandSyntax("c", List.of("C."), List.of(), List.of(optional, required)));
        assertThat(new CommandSyntax("c", List.of("C."), List.of(), List.of(required, optional)).parameters())
                .containsExactly(required, optional);
    }
}
