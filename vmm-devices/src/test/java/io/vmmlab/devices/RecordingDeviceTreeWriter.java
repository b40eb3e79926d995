package io.vmmlab.devices;

import io.vmmlab.api.device.DeviceTreeWriter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test fake: builds the described nodes as a tree of property maps (values stored as big-endian FDT bytes).
 * The interrupt controller's phandle is {@value #PLIC_PHANDLE}; hart h's local controller is {@code 1 + h};
 * allocated phandles start at {@value #FIRST_ALLOCATED_PHANDLE}.
 */
public final class RecordingDeviceTreeWriter implements DeviceTreeWriter {
    public static final int PLIC_PHANDLE = 0x50;
    public static final int FIRST_ALLOCATED_PHANDLE = 0x100;

    private final Node root = new Node("soc");
    private final Deque<Node> open = new ArrayDeque<>(List.of(root));
    private int nextPhandle = FIRST_ALLOCATED_PHANDLE;

    @Override
    public void beginNode(String name) {
        Node child = new Node(name);
        open.peek().children.add(child);
        open.push(child);
    }

    @Override
    public void endNode() {
        if (open.size() == 1) {
            throw new IllegalStateException("endNode without beginNode");
        }
        open.pop();
    }

    @Override
    public void propertyCells(String name, int... cells) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * cells.length);
        for (int cell : cells) {
            buffer.putInt(cell);
        }
        put(name, buffer.array());
    }

    @Override
    public void propertyStrings(String name, String... values) {
        StringBuilder joined = new StringBuilder();
        for (String value : values) {
            joined.append(value).append('\0');
        }
        put(name, joined.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void propertyBytes(String name, byte[] value) {
        put(name, value.clone());
    }

    private void put(String name, byte[] value) {
        if (open.size() == 1) {
            throw new IllegalStateException("property " + name + " outside any device node");
        }
        if (open.peek().properties.put(name, value) != null) {
            throw new IllegalStateException("duplicate property " + name);
        }
    }

    @Override
    public int interruptControllerPhandle() {
        return PLIC_PHANDLE;
    }

    @Override
    public int hartInterruptControllerPhandle(int hartId) {
        return 1 + hartId;
    }

    @Override
    public int allocatePhandle() {
        return nextPhandle++;
    }

    /** Returns the top-level nodes written so far, checking every node was closed. */
    public List<Node> nodes() {
        if (open.size() != 1) {
            throw new IllegalStateException(open.size() - 1 + " nodes left open");
        }
        return List.copyOf(root.children);
    }

    /** Returns the top-level node with this name. */
    public Node node(String name) {
        return nodes().stream().filter(node -> node.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + nodes()));
    }

    /** One node: its name, properties in order, children. */
    public static final class Node {
        private final String name;
        private final Map<String, byte[]> properties = new LinkedHashMap<>();
        private final List<Node> children = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public List<Node> children() {
            return List.copyOf(children);
        }

        public boolean has(String property) {
            return properties.containsKey(property);
        }

        public byte[] bytes(String property) {
            byte[] value = properties.get(property);
            if (value == null) {
                throw new AssertionError("node " + name + " has no property " + property);
            }
            return value.clone();
        }

        public int[] cells(String property) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes(property));
            int[] cells = new int[buffer.remaining() / 4];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = buffer.getInt();
            }
            return cells;
        }

        public List<String> strings(String property) {
            String joined = new String(bytes(property), StandardCharsets.US_ASCII);
            return Arrays.asList(joined.substring(0, joined.length() - 1).split("\0", -1));
        }

        @Override
        public String toString() {
            return name + properties.keySet();
        }
    }
}
