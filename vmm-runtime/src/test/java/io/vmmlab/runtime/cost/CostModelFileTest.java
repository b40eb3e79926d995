package io.vmmlab.runtime.cost;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CostModelFileTest {

    @Test
    void readsNameSourcesAndCategoriesIgnoringComments() {
        CostModel model = CostModelFile.parse("""
                # a test machine
                name = test-machine
                source = first line   # a comment
                source = second line
                instruction = 1
                vm-exit = 1350.5
                HYPERCALL = 300
                """, "test.costmodel");

        assertThat(model.name()).isEqualTo("test-machine");
        assertThat(model.source()).isEqualTo("first line second line");
        assertThat(model.cyclesPerEvent()).containsExactlyInAnyOrderEntriesOf(Map.of(
                CostCategory.INSTRUCTION, 1.0, CostCategory.VM_EXIT, 1350.5, CostCategory.HYPERCALL, 300.0));
        assertThat(model.cycles(CostCategory.CALLOUT)).isZero();
    }

    @Test
    void formatReadsBackToAnEqualModel() {
        CostModel model = new CostModel("m", "a source", Map.of(CostCategory.CALLOUT, 40.0,
                CostCategory.PAGE_WALK, 12.25));

        assertThat(CostModelFile.parse(CostModelFile.format(model), "round trip")).isEqualTo(model);
    }

    /** A UTF-8 byte-order mark at the start of the file (some editors write one) is not part of the first key. */
    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        CostModel model = CostModelFile.parse("\uFEFFname = marked\ninstruction = 2\n", "bom.costmodel");

        assertThat(model.name()).isEqualTo("marked");
        assertThat(model.cycles(CostCategory.INSTRUCTION)).isEqualTo(2.0);
    }

    @Test
    void unknownKeyNamesTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> CostModelFile.parse("name = m\n\nvmexit = 3\n", "my.costmodel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cost model my.costmodel, line 3: unknown key 'vmexit'; known: name, source,")
                .hasMessageContaining("vm_exit")
                .satisfies(e -> assertThat(e.getMessage()).doesNotEndWith(", none"));
    }

    @Test
    void theInformationalCategoryCannotBePriced() {
        assertThatThrownBy(() -> CostModelFile.parse("name = m\nnone = 3\n", "my.costmodel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost model my.costmodel, line 2: 'none' is not priced: its counters are informational");
    }

    @Test
    void rejectsNegativeAndNonNumericCosts() {
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = -1", "f"))
                .hasMessage("cost model f, line 2: cycles must be a finite non-negative number: '-1'");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = lots", "f"))
                .hasMessage("cost model f, line 2: not a number: 'lots'");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = NaN", "f"))
                .hasMessageContaining("finite non-negative");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = 1d", "f"))
                .hasMessage("cost model f, line 2: not a number: '1d'");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = 1e308", "f"))
                .hasMessage("cost model f, line 2: cycles must be at most 1000000000000: '1e308'");
        assertThat(CostModelFile.parse("name = m\ncallout = 2.5e3", "f").cyclesPerEvent())
                .containsValue(2500.0);
    }

    @Test
    void rejectsMissingNameDuplicateCategoryAndLinesWithoutEquals() {
        assertThatThrownBy(() -> CostModelFile.parse("callout = 1", "f"))
                .hasMessage("cost model f: no 'name = ...' line");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\ncallout = 1\ncallout = 2", "f"))
                .hasMessage("cost model f, line 3: 'callout' is given twice");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\njust words", "f"))
                .hasMessage("cost model f, line 2: expected 'key = value', found 'just words'");
        assertThatThrownBy(() -> CostModelFile.parse("name = two words", "f"))
                .hasMessageContaining("a name is letters, digits");
    }

    @Test
    void decimalNumbersAreDigitsWithAnOptionalFractionAndExponent() {
        for (String number : new String[] {"0", "12", "12.", "12.5", ".5", "1e3", "1E3", "2.5e-3", ".5E+2", "007"}) {
            assertThat(CostModelFile.decimal(number)).as(number).isTrue();
        }
        for (String text : new String[] {"", ".", "e3", ".e3", "1e", "1e+", "1.2.3", "+5", "-5", "1d", "0x10", "1 2",
                "1e3.5", "١٢"}) {
            assertThat(CostModelFile.decimal(text)).as(text).isFalse();
        }
    }

    @Test
    void linesEndAtLineFeedsWithOrWithoutCarriageReturns() {
        assertThat(CostModelFile.parse("name = m\r\ncallout = 3\r\n", "f").cyclesPerEvent()).containsValue(3.0);
        assertThatThrownBy(() -> CostModelFile.parse("name = m\r\ncallout = x\r\n", "f"))
                .hasMessage("cost model f, line 2: not a number: 'x'");
        assertThatThrownBy(() -> CostModelFile.parse("name = m\n\ncallout = 1\ncallout = 2", "f"))
                .hasMessage("cost model f, line 4: 'callout' is given twice");
    }
}
