package io.vmmlab.runtime.fdt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent flattened-device-tree reader for tests (Devicetree Specification v0.4, chapter 5). It checks the
 * header and the block layout strictly and rebuilds the tree, so tests can compare what a builder wrote with what
 * a kernel would read.
 */
public final class FdtDecoder {
    static final int MAGIC = 0xd00dfeed;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int NOP = 4;
    private static final int END = 9;

    /** The 40-byte header, field by field. */
    public record Header(int magic, int totalSize, int structureOffset, int stringsOffset, int reservationOffset,
                  int version, int lastCompatibleVersion, int bootCpu, int stringsSize, int structureSize) {
    }

    /** One node with its properties (in order) and children (in order). */
    public record Node(String name, Map<String, byte[]> properties, List<Node> children) {

        public Node child(String childName) {
            return children.stream().filter(node -> node.name().equals(childName)).findFirst()
                    .orElseThrow(() -> new AssertionError("no node " + childName + " under '" + name + "'"));
        }

        public byte[] property(String propertyName) {
            byte[] value = properties.get(propertyName);
            if (value == null) {
                throw new AssertionError("no property " + propertyName + " in '" + name + "'");
            }
            return value;
        }

        public int[] cells(String propertyName) {
            byte[] value = property(propertyName);
            if (value.length % 4 != 0) {
                throw new AssertionError(propertyName + " is not a list of cells");
            }
            int[] cells = new int[value.length / 4];
            ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN).asIntBuffer().get(cells);
            return cells;
        }

        public List<String> strings(String propertyName) {
            byte[] value = property(propertyName);
            if (value.length == 0 || value[value.length - 1] != 0) {
                throw new AssertionError(propertyName + " is not NUL-terminated");
            }
            String text = new String(value, 0, value.length - 1, StandardCharsets.UTF_8);
            return List.of(text.split("\0", -1));
        }
    }

    private FdtDecoder() {
    }

    public static Header header(byte[] blob) {
        if (blob.length < 40) {
            throw new AssertionError("blob shorter than a header: " + blob.length);
        }
        ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        return new Header(in.getInt(0), in.getInt(4), in.getInt(8), in.getInt(12), in.getInt(16), in.getInt(20),
                in.getInt(24), in.getInt(28), in.getInt(32), in.getInt(36));
    }

    /** Returns the strings block as text, NULs included. */
    static String stringsBlock(byte[] blob) {
        Header header = header(blob);
        return new String(blob, header.stringsOffset(), header.stringsSize(), StandardCharsets.US_ASCII);
    }

    /** Checks the header and blocks and returns the root node. */
    public static Node decode(byte[] blob) {
        Header header = header(blob);
        require(header.magic() == MAGIC, "bad magic 0x%x", header.magic());
        require(header.version() == 17, "version %d", header.version());
        require(header.totalSize() == blob.length, "totalsize %d but blob has %d bytes", header.totalSize(),
                blob.length);
        require(header.reservationOffset() % 8 == 0, "reservation block at %d not 8-aligned",
                header.reservationOffset());
        require(header.structureOffset() % 4 == 0, "structure block at %d not 4-aligned", header.structureOffset());
        require(header.structureOffset() + (long) header.structureSize() <= blob.length, "structure past the end");
        require(header.stringsOffset() + (long) header.stringsSize() <= blob.length, "strings past the end");
        ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        require(in.getLong(header.reservationOffset()) == 0 && in.getLong(header.reservationOffset() + 8) == 0,
                "reservation block does not start with its terminator");

        int[] position = {header.structureOffset()};
        int end = header.structureOffset() + header.structureSize();
        int token = nextToken(in, position);
        require(token == BEGIN_NODE, "structure starts with token %d", token);
        Node root = readNode(in, position, header);
        token = nextToken(in, position);
        require(token == END, "token %d after the root node", token);
        require(position[0] == end, "FDT_END at %d but structure ends at %d", position[0], end);
        return root;
    }

    private static Node readNode(ByteBuffer in, int[] position, Header header) {
        String name = readString(in, position[0]);
        position[0] = align(position[0] + name.length() + 1);
        Map<String, byte[]> properties = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        while (true) {
            int token = nextToken(in, position);
            switch (token) {
                case PROP -> {
                    require(children.isEmpty(), "property after a child node in '%s'", name);
                    int length = in.getInt(position[0]);
                    int nameOffset = in.getInt(position[0] + 4);
                    require(nameOffset >= 0 && nameOffset < header.stringsSize(), "name offset %d", nameOffset);
                    String propertyName = readString(in, header.stringsOffset() + nameOffset);
                    byte[] value = new byte[length];
                    in.get(position[0] + 8, value);
                    position[0] = align(position[0] + 8 + length);
                    require(properties.put(propertyName, value) == null, "duplicate property %s", propertyName);
                }
                case BEGIN_NODE -> children.add(readNode(in, position, header));
                case END_NODE -> {
                    return new Node(name, properties, children);
                }
                default -> throw new AssertionError("unexpected token " + token + " in node '" + name + "'");
            }
        }
    }

    private static int nextToken(ByteBuffer in, int[] position) {
        int token;
        do {
            require(position[0] % 4 == 0, "token at %d not aligned", position[0]);
            token = in.getInt(position[0]);
            position[0] += 4;
        } while (token == NOP);
        return token;
    }

    private static String readString(ByteBuffer in, int start) {
        int end = start;
        while (in.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        in.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int align(int position) {
        return (position + 3) & ~3;
    }

    private static void require(boolean condition, String format, Object... arguments) {
        if (!condition) {
            throw new AssertionError("malformed FDT: " + String.format(format, arguments));
        }
    }
}
