package io.vmmlab.cli.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

final class LoopbackPeersTest {
    private static final long OWNER = 1000;
    private static final long OTHER = 1001;

    @TempDir
    Path directory;

    /** Runs a check on an accepted loopback connection. */
    private interface Check {
        void on(Socket accepted) throws IOException;
    }

    private static void withConnection(Check check) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            check.on(accepted);
        }
    }

    /** A table in /proc/net/tcp's format with the client's and the host's ends of a connection. */
    private Path table(Socket accepted, long clientUid) throws IOException {
        String client = String.format(Locale.ROOT, "0100007F:%04X", accepted.getPort());
        String host = String.format(Locale.ROOT, "0100007F:%04X", accepted.getLocalPort());
        Path table = directory.resolve("tcp");
        Files.writeString(table, String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: " + host + " " + client + " 01 00000000:00000000 00:00000000 00000000  " + OWNER
                        + "        0 4242 1 0 20 4 30 10 -1",
                "   1: " + client + " " + host + " 01 00000000:00000000 00:00000000 00000000  " + clientUid
                        + "        0 4243 1 0 20 4 30 10 -1", ""));
        return table;
    }

    @Test
    void aConnectionFromTheSameUserMayConnect() throws IOException {
        withConnection(accepted -> {
            LoopbackPeers peers = LoopbackPeers.of(List.of(table(accepted, OWNER)), OWNER);
            assertThat(peers.ownerOf(accepted)).hasValue(OWNER);
            assertThat(peers.sameUser(List.of(accepted))).containsExactly(accepted);
            assertThat(accepted.isClosed()).isFalse();
        });
    }

    @Test
    void aConnectionFromAnotherUserIsClosed() throws IOException {
        withConnection(accepted -> {
            LoopbackPeers peers = LoopbackPeers.of(List.of(table(accepted, OTHER)), OWNER);
            assertThat(peers.ownerOf(accepted)).hasValue(OTHER);
            assertThat(peers.sameUser(List.of(accepted))).isEmpty();
            assertThat(accepted.isClosed()).isTrue();
        });
    }

    @Test
    void aConnectionTheTableDoesNotKnowIsLeftToTheToken() throws IOException {
        withConnection(accepted -> {
            Path empty = Files.writeString(directory.resolve("empty"), "header\n");
            assertThat(LoopbackPeers.of(List.of(empty), OWNER).sameUser(List.of(accepted))).containsExactly(accepted);
            assertThat(LoopbackPeers.of(List.of(directory.resolve("missing")), OWNER).sameUser(List.of(accepted)))
                    .containsExactly(accepted);
        });
    }

    @Test
    void onLinuxTheRealTableNamesThisUserAsTheOwnerOfBothEnds() throws IOException {
        List<Path> real = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
        if (!Files.isReadable(real.get(0))) {
            return; // not Linux: the token alone decides there (the tests above cover the logic)
        }
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        withConnection(accepted -> {
            assertThat(LoopbackPeers.of(real, uid).ownerOf(accepted)).hasValue(uid);
            assertThat(LoopbackPeers.ofThisUser().sameUser(List.of(accepted))).containsExactly(accepted);
        });
    }
}
