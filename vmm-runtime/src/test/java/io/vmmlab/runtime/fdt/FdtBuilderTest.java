package io.vmmlab.runtime.fdt;

import io.vmmlab.runtime.fdt.FdtDecoder.Header;
import io.vmmlab.runtime.fdt.FdtDecoder.Node;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

final class FdtBuilderTest {

    private static byte[] sampleTree() {
        FdtBuilder tree = new FdtBuilder(2);
        tree.beginNode("");
        tree.propertyCells("#address-cells", 2);
        tree.propertyCells("#size-cells", 2);
        tree.propertyStrings("compatible", "riscv-virtio");
        tree.beginNode("chosen");
        tree.propertyStrings("bootargs", "console=ttyS0 earlycon");
        tree.endNode();
        tree.beginNode("memory@80000000");
        tree.propertyStrings("device_type", "memory");
        tree.propertyLongs("reg", 0x8000_0000L, 0x1000_0000L);
        tree.endNode();
        tree.beginNode("soc");
        tree.propertyEmpty("ranges");
        tree.beginNode("serial@10000000");
        tree.propertyStrings("compatible", "ns16550a");
        tree.propertyCells("interrupts", 10);
        tree.endNode();
        tree.endNode();
        tree.endNode();
        return tree.build(0);
    }

    @Test
    void writesAValidHeader() {
        byte[] blob = sampleTree();

        Header header = FdtDecoder.header(blob);

        assertThat(header.magic()).isEqualTo(0xd00dfeed);
        assertThat(header.totalSize()).isEqualTo(blob.length);
        assertThat(header.version()).isEqualTo(17);
        assertThat(header.lastCompatibleVersion()).isEqualTo(16);
        assertThat(header.bootCpu()).isZero();
        assertThat(header.reservationOffset()).isEqualTo(40);
        assertThat(header.structureOffset()).isEqualTo(56);
        assertThat(header.stringsOffset()).isEqualTo(header.structureOffset() + header.structureSize());
        assertThat(header.stringsOffset() + header.stringsSize()).isLessThanOrEqualTo(header.totalSize());
    }

    @Test
    void padsTheBlobToEightBytes() {
        for (int length = 0; length < 8; length++) {
            FdtBuilder tree = new FdtBuilder(1);
            tree.beginNode("");
            tree.propertyBytes("x", new byte[length]);
            tree.endNode();

            byte[] blob = tree.build(0);

            assertThat(blob.length % 8).as("length for a %d-byte property", length).isZero();
            assertThat(FdtDecoder.header(blob).totalSize()).isEqualTo(blob.length);
            assertThat(FdtDecoder.decode(blob).property("x")).hasSize(length);
        }
    }

    @Test
    void recordsTheBootCpu() {
        FdtBuilder tree = new FdtBuilder(4);
        tree.beginNode("");
        tree.endNode();

        assertThat(FdtDecoder.header(tree.build(3)).bootCpu()).isEqualTo(3);
    }

    @Test
    void rebuildsNestedNodesInOrder() {
        Node root = FdtDecoder.decode(sampleTree());

        assertThat(root.name()).isEmpty();
        assertThat(root.children()).extracting(Node::name).containsExactly("chosen", "memory@80000000", "soc");
        assertThat(root.child("soc").children()).extracting(Node::name).containsExactly("serial@10000000");
        assertThat(root.child("soc").child("serial@10000000").children()).isEmpty();
        assertThat(root.properties().keySet()).containsExactly("#address-cells", "#size-cells", "compatible");
    }

    @Test
    void writesCellsBigEndian() {
        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        tree.propertyCells("reg", 0x1234_5678, 0x9abc_def0, 1);
        tree.endNode();

        Node root = FdtDecoder.decode(tree.build(0));

        assertThat(root.property("reg")).containsExactly(
                0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 0, 0, 1);
        assertThat(root.cells("reg")).containsExactly(0x1234_5678, 0x9abc_def0, 1);
    }

    @Test
    void writesLongsAsTwoCellsHighFirst() {
        Node memory = FdtDecoder.decode(sampleTree()).child("memory@80000000");

        assertThat(memory.cells("reg")).containsExactly(0, 0x8000_0000, 0, 0x1000_0000);

        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        tree.propertyLongs("x", 0x1122_3344_5566_7788L);
        tree.endNode();
        assertThat(FdtDecoder.decode(tree.build(0)).cells("x")).containsExactly(0x1122_3344, 0x5566_7788);
    }

    @Test
    void terminatesEachStringWithNul() {
        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        tree.propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        tree.propertyStrings("model", "é");
        tree.propertyStrings("empty", "");
        tree.endNode();

        Node root = FdtDecoder.decode(tree.build(0));

        assertThat(new String(root.property("compatible"), StandardCharsets.US_ASCII))
                .isEqualTo("sifive,plic-1.0.0\0riscv,plic0\0");
        assertThat(root.strings("compatible")).containsExactly("sifive,plic-1.0.0", "riscv,plic0");
        assertThat(root.property("model")).containsExactly(0xc3, 0xa9, 0);
        assertThat(root.property("empty")).containsExactly(0);
    }

    @Test
    void writesEmptyProperties() {
        Node soc = FdtDecoder.decode(sampleTree()).child("soc");

        assertThat(soc.property("ranges")).isEmpty();
        assertThat(soc.children()).hasSize(1);
    }

    @Test
    void storesEachPropertyNameOnceInTheStringsBlock() {
        String strings = FdtDecoder.stringsBlock(sampleTree());

        assertThat(strings).isEqualTo("#address-cells\0#size-cells\0compatible\0bootargs\0device_type\0reg\0"
                + "ranges\0interrupts\0");
    }

    @Test
    void alignsNodeNamesOfEveryLength() {
        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        for (String name : new String[] {"a", "ab", "abc", "abcd", "abcde"}) {
            tree.beginNode(name);
            tree.propertyCells("n", name.length());
            tree.endNode();
        }
        tree.endNode();

        Node root = FdtDecoder.decode(tree.build(0));

        assertThat(root.children()).extracting(Node::name).containsExactly("a", "ab", "abc", "abcd", "abcde");
        assertThat(root.child("abcd").cells("n")).containsExactly(4);
        assertThat(root.child("abcde").cells("n")).containsExactly(5);
    }

    @Test
    void givesHartsTheFirstPhandlesAndThePlicTheNext() {
        FdtBuilder tree = new FdtBuilder(4);

        assertThat(tree.hartInterruptControllerPhandle(0)).isEqualTo(1);
        assertThat(tree.hartInterruptControllerPhandle(3)).isEqualTo(4);
        assertThat(tree.interruptControllerPhandle()).isEqualTo(5);
        assertThat(tree.allocatePhandle()).isEqualTo(6);
        assertThat(tree.allocatePhandle()).isEqualTo(7);
        assertThat(tree.interruptControllerPhandle()).isEqualTo(5);
    }

    @Test
    void phandlesOfASingleHartBoard() {
        FdtBuilder tree = new FdtBuilder(1);

        assertThat(tree.hartInterruptControllerPhandle(0)).isEqualTo(1);
        assertThat(tree.interruptControllerPhandle()).isEqualTo(2);
        assertThat(tree.allocatePhandle()).isEqualTo(3);
    }

    @Test
    void refusesEndNodeWithoutAnOpenNode() {
        FdtBuilder tree = new FdtBuilder(1);

        assertThatIllegalStateException().isThrownBy(tree::endNode).withMessage("endNode without an open node");

        tree.beginNode("");
        tree.endNode();
        assertThatIllegalStateException().isThrownBy(tree::endNode).withMessage("endNode without an open node");
    }

    @Test
    void refusesToBuildWithOpenNodes() {
        FdtBuilder tree = new FdtBuilder(1);
        tree.beginNode("");
        tree.beginNode("cpus");

        assertThatIllegalStateException().isThrownBy(() -> tree.build(0)).withMessage("2 nodes are still open");
    }

    @Test
    void refusesPropertiesOutsideAnyNode() {
        FdtBuilder tree = new FdtBuilder(1);

        assertThatIllegalStateException().isThrownBy(() -> tree.propertyCells("reg", 1))
                .withMessage("property reg outside any node");
    }
}
