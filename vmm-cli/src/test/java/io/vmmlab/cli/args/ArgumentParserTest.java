package io.vmmlab.cli.args;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ArgumentParserTest {
    private static final Option<String> MEMORY = Option.of("--mem", "SIZE", ValueType.STRING, "RAM size.")
            .withDefault("256M");
    private static final Option<Integer> HARTS = Option.of("--smp", "N", ValueType.INT, "Number of harts.")
            .withDefault("1");
    private static final Option<Long> LIMIT = Option.of("--max-instructions", "N", ValueType.LONG, "Limit.")
            .withDefaultInDescription("0");
    private static final Option<Double> TIMEOUT = Option.of("--timeout", "SECONDS", ValueType.DOUBLE, "Limit.")
            .withDefault("600");
    private static final Option<String> KERNEL = Option.of("--kernel", "IMAGE", ValueType.STRING, "Kernel.");
    private static final Option<Path> REPORT = Option.of("--report", "FILE", ValueType.PATH, "Report.");
    private static final Option<String> APPEND = Option.of("--append", "CMDLINE", ValueType.STRING, "Command line.")
            .withDefault("");
    private static final Option<String> DISKS = Option.of("--disk", "DISK", ValueType.STRING, "Disk.").repeatable();
    private static final Option<String> STRATEGIES = Option.of("--strategies", "STRATEGY", ValueType.STRING,
            "Strategies.").separatedBy(",").withDefault("native,paravirt");
    private static final Option<Boolean> QUIET = Option.flag("--quiet", "Quiet.").withShortName("-q");
    private static final Option<Boolean> DETERMINISTIC = Option.negatableFlag("--deterministic", "Deterministic.");
    private static final Option<Boolean> CHECKED = Option.negatableFlag("--checked", "Checked.")
            .withDefaultInDescription("true");

    private static final CommandSyntax RUN = CommandSyntax.of("run", List.of("Run a guest."), List.of(MEMORY, HARTS,
            LIMIT, TIMEOUT, KERNEL, REPORT, APPEND, DISKS, STRATEGIES, QUIET, DETERMINISTIC, CHECKED));

    private static final Parameter<String> FIRST = Parameter.required("FIRST", ValueType.STRING, "First.");
    private static final Parameter<Integer> SECOND = Parameter.optional("SECOND", ValueType.INT, "Second.");
    private static final CommandSyntax PAIR = new CommandSyntax("pair", List.of("Take a pair."), List.of(QUIET),
            List.of(FIRST, SECOND));

    private static ParsedArguments run(String... arguments) {
        return ArgumentParser.parse(RUN, List.of(arguments));
    }

    private static ParsedArguments pair(String... arguments) {
        return ArgumentParser.parse(PAIR, List.of(arguments));
    }

    @Test
    void aValueFollowsItsOptionOrIsAttachedWithAnEqualsSign() {
        assertThat(run("--mem", "128M").value(MEMORY)).isEqualTo("128M");
        assertThat(run("--mem=128M").value(MEMORY)).isEqualTo("128M");
    }

    @Test
    void anAttachedValueKeepsItsOwnEqualsSigns() {
        assertThat(run("--append=console=ttyS0 quiet").value(APPEND)).isEqualTo("console=ttyS0 quiet");
    }

    @Test
    void anOptionNotGivenHasItsDefaultConvertedByItsType() {
        ParsedArguments arguments = run();

        assertThat(arguments.value(MEMORY)).isEqualTo("256M");
        assertThat(arguments.value(HARTS)).isEqualTo(1);
        assertThat(arguments.value(LIMIT)).isZero();
        assertThat(arguments.value(TIMEOUT)).isEqualTo(600.0);
        assertThat(arguments.value(APPEND)).isEmpty();
        assertThat(arguments.optionalValue(KERNEL)).isEmpty();
        assertThat(arguments.isGiven(MEMORY)).isFalse();
    }

    @Test
    void valuesAreConvertedToTheirTypes() {
        ParsedArguments arguments = run("--smp", "+4", "--max-instructions", "-5", "--timeout", "1e3",
                "--report", "out/r.json");

        assertThat(arguments.value(HARTS)).isEqualTo(4);
        assertThat(arguments.value(LIMIT)).isEqualTo(-5L);
        assertThat(arguments.value(TIMEOUT)).isEqualTo(1000.0);
        assertThat(arguments.optionalValue(REPORT)).contains(Path.of("out/r.json"));
        assertThat(arguments.isGiven(HARTS)).isTrue();
    }

    @Test
    void aValueMayStartWithADashWhenItIsNoOptionOfTheCommand() {
        assertThat(run("--timeout", "-1").value(TIMEOUT)).isEqualTo(-1.0);
        assertThat(run("--kernel", "--frob").optionalValue(KERNEL)).contains("--frob");
    }

    @Test
    void flagsAreFalseUnlessGiven() {
        assertThat(run().value(QUIET)).isFalse();
        assertThat(run("-q").value(QUIET)).isTrue();
        assertThat(run("--quiet").value(QUIET)).isTrue();
        assertThat(run("--quiet=false").value(QUIET)).isFalse();
        assertThat(run("-q=TRUE").value(QUIET)).isTrue();
    }

    @Test
    void aNegatableFlagHasANegativeForm() {
        assertThat(run().value(DETERMINISTIC)).isFalse();
        assertThat(run("--deterministic").value(DETERMINISTIC)).isTrue();
        assertThat(run("--no-deterministic").value(DETERMINISTIC)).isFalse();
        assertThat(run("--deterministic=false").value(DETERMINISTIC)).isFalse();
        assertThat(run("--no-deterministic=false").value(DETERMINISTIC)).isTrue();
        assertThat(run().value(CHECKED)).isTrue();
        assertThat(run("--no-checked").value(CHECKED)).isFalse();
        assertThat(run("--checked").value(CHECKED)).isTrue();
    }

    @Test
    void aRepeatableOptionCollectsEveryValueInOrder() {
        assertThat(run().values(DISKS)).isEmpty();
        assertThat(run("--disk", "a.img", "--mem", "1G", "--disk=b.img,readonly").values(DISKS))
                .containsExactly("a.img", "b.img,readonly");
    }

    @Test
    void aSeparatedOptionSplitsEachValueAndReplacesItsDefault() {
        assertThat(run().values(STRATEGIES)).containsExactly("native", "paravirt");
        assertThat(run("--strategies", "fullvirt/trap,hwassist", "--strategies=native").values(STRATEGIES))
                .containsExactly("fullvirt/trap", "hwassist", "native");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThatThrownBy(() -> run("--frobnicate")).isInstanceOf(UsageException.class)
                .hasMessage("Unknown option: '--frobnicate'");
        assertThatThrownBy(() -> run("--frob=3")).hasMessage("Unknown option: '--frob=3'");
        assertThatThrownBy(() -> run("-x")).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> run("--no-quiet")).hasMessage("Unknown option: '--no-quiet'");
    }

    @Test
    void aMissingValueIsAUsageError() {
        assertThatThrownBy(() -> run("--smp")).isInstanceOf(UsageException.class)
                .hasMessage("Missing required parameter for option '--smp' (N)");
        assertThatThrownBy(() -> run("--kernel", "--quiet"))
                .hasMessage("Expected parameter for option '--kernel' but found '--quiet'");
        assertThatThrownBy(() -> run("--kernel", "--mem=1G"))
                .hasMessage("Expected parameter for option '--kernel' but found '--mem=1G'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--smp|x|'x' is not an int",
        "--smp|0x8|'0x8' is not an int",
        "--smp|99999999999|'99999999999' is not an int",
        "--max-instructions|1.5|'1.5' is not a long",
        "--timeout|abc|'abc' is not a double",
        "--deterministic=maybe||'maybe' is not a boolean",
        "--report=||'' is not a path"})
    void aBadValueIsAUsageErrorNamingTheOptionAndTheType(String option, String value, String problem) {
        String[] arguments = value == null ? new String[] {option} : new String[] {option, value};
        String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;

        assertThatThrownBy(() -> run(arguments)).isInstanceOf(UsageException.class)
                .hasMessage("Invalid value for option '" + name + "': " + problem);
    }

    @Test
    void anEmptyItemOfASeparatedValueIsConvertedLikeAnyOther() {
        Option<Integer> sizes = Option.of("--sizes", "N", ValueType.INT, "Sizes.").separatedBy(",");
        CommandSyntax syntax = CommandSyntax.of("sizes", List.of("Sizes."), List.of(sizes));

        for (String value : List.of("1,", ",1", ",", "1,,2")) {
            assertThatThrownBy(() -> ArgumentParser.parse(syntax, List.of("--sizes=" + value))).as(value)
                    .hasMessage("Invalid value for option '--sizes': '' is not an int");
        }
    }

    @Test
    void aBadItemOfASeparatedValueIsNamed() {
        Option<Integer> sizes = Option.of("--sizes", "N", ValueType.INT, "Sizes.").separatedBy(",");
        CommandSyntax syntax = CommandSyntax.of("sizes", List.of("Sizes."), List.of(sizes));

        assertThatThrownBy(() -> ArgumentParser.parse(syntax, List.of("--sizes", "1,two,3")))
                .hasMessage("Invalid value for option '--sizes': 'two' is not an int");
    }

    @Test
    void anOptionGivenTwiceIsAUsageErrorUnlessRepeatable() {
        assertThatThrownBy(() -> run("--mem", "1G", "--mem=2G"))
                .hasMessage("option '--mem' should be specified only once");
        assertThatThrownBy(() -> run("-q", "--quiet")).hasMessage("option '--quiet' should be specified only once");
        assertThatThrownBy(() -> run("--deterministic", "--no-deterministic"))
                .hasMessage("option '--deterministic' should be specified only once");
    }

    @Test
    void anArgumentThatIsNoOptionNeedsAParameter() {
        assertThatThrownBy(() -> run("extra")).isInstanceOf(UsageException.class)
                .hasMessage("Unexpected argument: 'extra'");
        assertThatThrownBy(() -> run("-")).hasMessage("Unexpected argument: '-'");
    }

    @Test
    void parametersAreTakenInOrderAndConverted() {
        ParsedArguments arguments = pair("one", "-q", "2");

        assertThat(arguments.parameter(FIRST)).contains("one");
        assertThat(arguments.parameter(SECOND)).contains(2);
        assertThat(arguments.value(QUIET)).isTrue();
        assertThat(pair("one").parameter(SECOND)).isEmpty();
    }

    @Test
    void parameterErrorsAreUsageErrors() {
        assertThatThrownBy(() -> pair()).isInstanceOf(UsageException.class)
                .hasMessage("Missing required parameter: 'FIRST'");
        assertThatThrownBy(() -> pair("one", "two"))
                .hasMessage("Invalid value for parameter SECOND: 'two' is not an int");
        assertThatThrownBy(() -> pair("one", "2", "3")).hasMessage("Unexpected argument: '3'");
    }

    @Test
    void doubleDashEndsTheOptions() {
        ParsedArguments arguments = pair("-q", "--", "-x", "-7");

        assertThat(arguments.parameter(FIRST)).contains("-x");
        assertThat(arguments.parameter(SECOND)).contains(-7);
        assertThat(pair("--", "--help").isHelpRequested()).isFalse();
        assertThat(pair("--", "--help").parameter(FIRST)).contains("--help");
        assertThatThrownBy(() -> run("--", "--quiet")).hasMessage("Unexpected argument: '--quiet'");
        assertThatThrownBy(() -> run("--kernel", "--"))
                .hasMessage("Expected parameter for option '--kernel' but found '--'");
    }

    @Test
    void helpAnywhereBeforeDoubleDashWinsOverEverythingElse() {
        assertThat(run("-h").isHelpRequested()).isTrue();
        assertThat(run("--smp", "x", "--frob", "--help").isHelpRequested()).isTrue();
        assertThat(run("--mem", "1G").isHelpRequested()).isFalse();
        assertThat(pair("--help").isHelpRequested()).isTrue();
        assertThat(run("--help=true").isHelpRequested()).isTrue();
        assertThat(run("-h=TRUE", "--smp", "x").isHelpRequested()).isTrue();
        assertThat(run("--help=false").isHelpRequested()).isFalse();
        assertThat(run("--help=false", "-h").isHelpRequested()).isTrue();
        assertThatThrownBy(() -> run("--help=no")).hasMessage("Invalid value for option '--help': 'no' is not a boolean");
    }

    @Test
    void readingAnOptionTheWrongWayIsAProgrammingError() {
        ParsedArguments arguments = run();
        Option<String> foreign = Option.of("--foreign", "X", ValueType.STRING, "Not of run.").withDefault("x");

        assertThatIllegalStateException().isThrownBy(() -> arguments.value(KERNEL)).withMessageContaining("--kernel");
        assertThatIllegalStateException().isThrownBy(() -> arguments.value(DISKS)).withMessageContaining("repeatable");
        assertThatIllegalStateException().isThrownBy(() -> arguments.value(foreign))
                .withMessageContaining("not an option of 'run'");
        assertThatIllegalStateException().isThrownBy(() -> arguments.parameter(FIRST))
                .withMessageContaining("not a parameter of 'run'");
    }
}
