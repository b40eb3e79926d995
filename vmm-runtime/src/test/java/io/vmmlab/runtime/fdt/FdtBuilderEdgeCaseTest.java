package io.vmmlab.runtime.fdt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

final class FdtBuilderEdgeCaseTest {

    @Test
    void refusesAPropertyAfterAChildNode() {
        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        tree.beginNode("chosen");
        tree.endNode();

        // libfdt (fdtget, Linux early boot) cannot see a property that follows a subnode
        assertThatIllegalStateException().isThrownBy(() -> tree.propertyCells("late", 1));
    }
}
