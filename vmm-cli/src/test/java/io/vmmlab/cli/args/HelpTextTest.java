package io.vmmlab.cli.args;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class HelpTextTest {

    @Test
    void wrapBreaksAtSpacesWithinTheWidth() {
        assertThat(HelpText.wrap("one two three four five", 9)).containsExactly("one two", "three", "four five");
        assertThat(HelpText.wrap("  spaced   out  ", 80)).containsExactly("spaced out");
        assertThat(HelpText.wrap("", 80)).isEmpty();
    }

    @Test
    void aLongWordIsBrokenAfterItsCommasOrElseStandsAlone() {
        assertThat(HelpText.wrap("default native,fullvirt/trap,fullvirt/bt,paravirt.", 20))
                .containsExactly("default native,", "fullvirt/trap,", "fullvirt/bt,", "paravirt.");
        assertThat(HelpText.wrap("a averyveryverylongword b", 10)).containsExactly("a", "averyveryverylongword", "b");
    }

    @Test
    void aTableAlignsTextsAfterTheWidestKeyAndIndentsContinuations() {
        String text = new HelpText().table(List.of(new HelpText.Row("a", "short"),
                new HelpText.Row("bbb", "word ".repeat(20).trim()))).toString();

        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("  a    short");
        assertThat(lines.get(1)).startsWith("  bbb  word word");
        assertThat(lines.get(2)).startsWith("         word");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(HelpText.WIDTH));
    }

    @Test
    void aVeryWideKeyHasItsTextOnTheNextLine() {
        String wide = "--workloads=WORKLOAD[,WORKLOAD...]";
        List<String> lines = new HelpText().table(List.of(new HelpText.Row("--mem=SIZE", "RAM size."),
                new HelpText.Row(wide, "Workloads."))).toString().lines().toList();

        assertThat(lines).containsExactly("  --mem=SIZE  RAM size.", "  " + wide, "              Workloads.");
    }
}
