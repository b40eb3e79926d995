package io.vmmlab.runtime.cost;

import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.CostModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CostModelCatalogTest {
    private final CostModelCatalog catalog = CostModelCatalog.presets();

    @Test
    void shipsTheNeutralModelAndThreeCitedPresets() {
        assertThat(catalog.names()).containsExactly("instructions-only", "pentium4-2006", "modern-x86",
                "riscv-rocket-h");
        assertThat(catalog.names()).contains(CostModelCatalog.DEFAULT);
        for (CostModel model : catalog.all()) {
            assertThat(model.source()).as(model.name()).isNotBlank();
            assertThat(model.cycles(CostCategory.INSTRUCTION)).as(model.name()).isEqualTo(1.0);
        }
    }

    @Test
    void everyHardwarePresetPricesEveryVirtualizationEvent() {
        for (String name : new String[] {"pentium4-2006", "modern-x86", "riscv-rocket-h"}) {
            CostModel model = catalog.resolve(name);
            for (CostCategory category : CostCategory.values()) {
                if (category != CostCategory.NONE) {
                    assertThat(model.cycles(category)).as(name + " " + category).isPositive();
                }
            }
        }
    }

    @Test
    void theModernPresetCarriesThePublishedExitCost() {
        CostModel model = catalog.resolve("modern-x86");

        assertThat(model.cycles(CostCategory.VM_EXIT)).isEqualTo(1350.0);
        assertThat(model.source()).contains("lkml.iu.edu");
    }

    @Test
    void resolvesAUserFile(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("mine.costmodel");
        Files.writeString(file, "name = mine\nsource = me\ncallout = 7\n");

        assertThat(catalog.resolve(file.toString()).cycles(CostCategory.CALLOUT)).isEqualTo(7.0);
    }

    @Test
    void unknownNameListsThePresets() {
        assertThatThrownBy(() -> catalog.resolve("no-such-model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown cost model 'no-such-model': not a preset (instructions-only, pentium4-2006, "
                        + "modern-x86, riscv-rocket-h) and not a file");
    }
}
