package io.vmmlab.runtime.fdt;

import io.vmmlab.api.device.DeviceTreeWriter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a flattened device tree blob (Devicetree Specification v0.4, chapter 5: header, memory reservation
 * block, structure block, strings block), version 17. Nodes are written in the order they are opened.
 */
public final class FdtBuilder implements DeviceTreeWriter {
    private static final int MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int END = 9;
    private static final int HEADER_SIZE = 40;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final int interruptControllerPhandle;
    private final int[] hartPhandles;
    private int nextPhandle;
    private int depth;
    /** Whether the node at each open depth already has a child; properties must come before children. */
    private final java.util.BitSet hasChild = new java.util.BitSet();

    /**
     * Starts a tree; the caller opens the root node with {@code beginNode("")}.
     *
     * @param hartCount number of harts, each of which gets a local interrupt-controller phandle
     */
    public FdtBuilder(int hartCount) {
        hartPhandles = new int[hartCount];
        for (int i = 0; i < hartCount; i++) {
            hartPhandles[i] = i + 1;
        }
        interruptControllerPhandle = hartCount + 1;
        nextPhandle = hartCount + 2;
    }

    @Override
    public void beginNode(String name) {
        writeInt(structure, BEGIN_NODE);
        writePadded(structure, (name + "\0").getBytes(StandardCharsets.US_ASCII));
        hasChild.set(depth);
        depth++;
        hasChild.clear(depth);
    }

    @Override
    public void endNode() {
        if (depth == 0) {
            throw new IllegalStateException("endNode without an open node");
        }
        writeInt(structure, END_NODE);
        depth--;
    }

    @Override
    public void propertyCells(String name, int... cells) {
        ByteBuffer value = ByteBuffer.allocate(cells.length * 4);
        for (int cell : cells) {
            value.putInt(cell);
        }
        propertyBytes(name, value.array());
    }

    @Override
    public void propertyStrings(String name, String... values) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (String text : values) {
            value.writeBytes((text + "\0").getBytes(StandardCharsets.UTF_8));
        }
        propertyBytes(name, value.toByteArray());
    }

    @Override
    public void propertyBytes(String name, byte[] value) {
        if (depth == 0) {
            throw new IllegalStateException("property " + name + " outside any node");
        }
        if (hasChild.get(depth)) {
            throw new IllegalStateException("property " + name + " after a child node; properties come first");
        }
        writeInt(structure, PROP);
        writeInt(structure, value.length);
        writeInt(structure, stringOffset(name));
        writePadded(structure, value);
    }

    /**
     * Adds a property of 64-bit values, each as two cells (the usual #address-cells = #size-cells = 2).
     *
     * @param name property name
     * @param values the values
     */
    public void propertyLongs(String name, long... values) {
        int[] cells = new int[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            cells[2 * i] = (int) (values[i] >>> 32);
            cells[2 * i + 1] = (int) values[i];
        }
        propertyCells(name, cells);
    }

    @Override
    public int interruptControllerPhandle() {
        return interruptControllerPhandle;
    }

    @Override
    public int hartInterruptControllerPhandle(int hartId) {
        return hartPhandles[hartId];
    }

    @Override
    public int allocatePhandle() {
        return nextPhandle++;
    }

    /**
     * Finishes the blob. Every node must be closed.
     *
     * @param bootHartId the boot CPU's id for the header
     * @return the blob
     */
    public byte[] build(int bootHartId) {
        if (depth != 0) {
            throw new IllegalStateException(depth + " nodes are still open");
        }
        ByteArrayOutputStream structureBlock = new ByteArrayOutputStream();
        structureBlock.writeBytes(structure.toByteArray());
        writeInt(structureBlock, END);
        byte[] structureBytes = structureBlock.toByteArray();
        byte[] stringBytes = strings.toByteArray();
        int reservationOffset = HEADER_SIZE;
        int reservationSize = 16;
        int structureOffset = reservationOffset + reservationSize;
        int stringsOffset = structureOffset + structureBytes.length;
        int totalSize = stringsOffset + stringBytes.length;
        ByteBuffer blob = ByteBuffer.allocate((totalSize + 7) & ~7);
        blob.putInt(MAGIC).putInt(blob.capacity()).putInt(structureOffset).putInt(stringsOffset)
                .putInt(reservationOffset).putInt(17).putInt(16).putInt(bootHartId)
                .putInt(stringBytes.length).putInt(structureBytes.length);
        blob.putLong(0).putLong(0);
        blob.put(structureBytes).put(stringBytes);
        return blob.array();
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, key -> {
            int offset = strings.size();
            strings.writeBytes((key + "\0").getBytes(StandardCharsets.US_ASCII));
            return offset;
        });
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writePadded(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(bytes);
        for (int i = bytes.length; (i & 3) != 0; i++) {
            out.write(0);
        }
    }
}
