package io.vmmlab.cli.host;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tells who connected to the resident host: the user owning the other end of a loopback TCP connection, as Linux's
 * socket tables give it ({@code /proc/net/tcp}, and {@code /proc/net/tcp6} for the JVM's dual-stack sockets, where
 * an IPv4 address is mapped). The host closes other users' connections at once, before they can
 * take one of its few opening slots: without the token they could not run anything, but they could keep the
 * slots busy and make the owner's commands wait. Where the table cannot tell (another system, a connection already
 * gone), the token alone decides.
 */
final class LoopbackPeers {
    private static final List<Path> LINUX_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    // Columns of the table: local address, remote address, owner's uid.
    private static final int LOCAL = 1;
    private static final int REMOTE = 2;
    private static final int UID = 7;

    private final List<Path> tables;
    private final OptionalLong ownUid;

    private LoopbackPeers(List<Path> tables, OptionalLong ownUid) {
        this.tables = tables;
        this.ownUid = ownUid;
    }

    /** The peers of this JVM's user, from Linux's tables. */
    static LoopbackPeers ofThisUser() {
        return new LoopbackPeers(LINUX_TABLES, currentUid());
    }

    /**
     * Peers as table files give them, for a user (tests).
     *
     * @param tables files in the format of {@code /proc/net/tcp} or {@code /proc/net/tcp6}
     * @param uid the host's user
     * @return the peers
     */
    static LoopbackPeers of(List<Path> tables, long uid) {
        return new LoopbackPeers(List.copyOf(tables), OptionalLong.of(uid));
    }

    /**
     * Keeps the connections that may be served and closes the others (another user's), reading the tables once.
     *
     * @param connections accepted connections
     * @return those not known to come from another user, in order
     */
    List<Socket> sameUser(List<Socket> connections) {
        if (ownUid.isEmpty()) {
            return connections;
        }
        List<String> texts = readTables();
        List<Socket> kept = new ArrayList<>();
        for (Socket connection : connections) {
            OptionalLong owner = ownerOf(connection, texts);
            if (owner.isEmpty() || owner.getAsLong() == ownUid.getAsLong()) {
                kept.add(connection);
            } else {
                try {
                    connection.close();
                } catch (IOException e) {
                    // Closing is all that was asked.
                }
            }
        }
        return kept;
    }

    /**
     * The owner of a connection's other end: the table's entry whose local address is the connection's remote one.
     *
     * @param connection an accepted IPv4 connection
     * @return the user id, or empty when the table does not have it
     */
    OptionalLong ownerOf(Socket connection) {
        return ownerOf(connection, readTables());
    }

    private static OptionalLong ownerOf(Socket connection, List<String> texts) {
        Optional<byte[]> peer = ipv4(connection.getInetAddress());
        Optional<byte[]> host = ipv4(connection.getLocalAddress());
        if (peer.isEmpty() || host.isEmpty()) {
            return OptionalLong.empty();
        }
        // The same entry in either format: IPv4 (tcp) or IPv4-mapped IPv6 (tcp6, the JVM's dual-stack sockets).
        List<String> locals = List.of(entry(peer.get(), connection.getPort(), false),
                entry(peer.get(), connection.getPort(), true));
        List<String> remotes = List.of(entry(host.get(), connection.getLocalPort(), false),
                entry(host.get(), connection.getLocalPort(), true));
        for (String text : texts) {
            OptionalLong owner = find(text, locals, remotes);
            if (owner.isPresent()) {
                return owner;
            }
        }
        return OptionalLong.empty();
    }

    /** The tables' texts, read once for all the connections being checked. */
    private List<String> readTables() {
        return tables.stream().map(LoopbackPeers::read).toList();
    }

    /** A table's text; empty when it cannot be read. */
    private static String read(Path table) {
        try {
            return new String(Files.readAllBytes(table), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The uid of the table's entry whose local and remote addresses are the same format's of the two lists. A plain
     * text search: the host runs it for every connection it accepts, so it must stay cheap however many sockets the
     * machine has open (another user's connections are closed at this speed).
     */
    private static OptionalLong find(String text, List<String> locals, List<String> remotes) {
        for (int format = 0; format < locals.size(); format++) {
            int at = text.indexOf(" " + locals.get(format) + " " + remotes.get(format) + " ");
            if (at < 0) {
                continue;
            }
            int end = text.indexOf('\n', at);
            String[] fields = text.substring(at, end < 0 ? text.length() : end).trim().split("\\s+");
            // From the local address on: the uid is the sixth field after it.
            if (fields.length > UID - LOCAL) {
                try {
                    return OptionalLong.of(Long.parseLong(fields[UID - LOCAL]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The address's four bytes when it is IPv4 (or IPv4-mapped IPv6). */
    private static Optional<byte[]> ipv4(InetAddress address) {
        return address instanceof Inet4Address ? Optional.of(address.getAddress()) : Optional.empty();
    }

    /**
     * An address and port as the tables write them: the address in 32-bit words, each as the host holds it in memory
     * (on a little-endian host, its bytes reversed), then the port; mapped, the words of {@code ::ffff:a.b.c.d}.
     */
    private static String entry(byte[] ipv4, int port, boolean mapped) {
        StringBuilder text = new StringBuilder();
        if (mapped) {
            text.append(word(new byte[] {0, 0, 0, 0})).append(word(new byte[] {0, 0, 0, 0}))
                    .append(word(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        }
        return text.append(word(ipv4)).append(String.format(Locale.ROOT, ":%04X", port)).toString();
    }

    private static String word(byte[] bytes) {
        int network = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | bytes[3] & 0xff;
        int printed = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(network) : network;
        return String.format(Locale.ROOT, "%08X", printed);
    }

    private static OptionalLong currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer value ? OptionalLong.of(value) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
