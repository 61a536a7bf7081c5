package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bus.RestCredentials;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node deploys the TURN server as its turn role, on a free port in tests, with the configured secret. */
class NodeTurnRoleTest {
    @TempDir
    Path data;

    @Test
    void turnRoleAnswersStunOnItsPortAndChallengesAllocate() throws Exception {
        NodeConfig config = NodeLifecycleTest.config(data, Map.of("roles", "turn", "turn.secret", "node-test-turn-secret"));
        assertThat(config.turn().bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.turn().port()).isZero();
        try (ParleyNode node = ParleyNode.start(config); DatagramSocket socket = new DatagramSocket(0)) {
            assertThat(node.turnPort()).isPositive();
            socket.setSoTimeout(5000);
            InetSocketAddress turn = new InetSocketAddress("127.0.0.1", node.turnPort());

            byte[] binding = request(0x0001);
            socket.send(new DatagramPacket(binding, binding.length, turn));
            assertThat(messageType(receive(socket))).isEqualTo(0x0101);

            byte[] allocate = request(0x0003);
            socket.send(new DatagramPacket(allocate, allocate.length, turn));
            byte[] challenge = receive(socket);
            assertThat(messageType(challenge)).isEqualTo(0x0113);
            assertThat(errorCode(challenge)).isEqualTo(401);
        }
    }

    @Test
    void theTurnSecretIsOneConfigurationValueForEveryRole() {
        NodeConfig config = NodeLifecycleTest.config(data, Map.of("turn.secret", "shared-with-the-calls-role"));
        RestCredentials.Credential credential = new RestCredentials(config.turn().secret()).issue("u1",
                Instant.ofEpochSecond(2_000_000_000L));
        assertThat(credential.username()).isEqualTo("2000000000:u1");
        assertThat(new RestCredentials("shared-with-the-calls-role").password(credential.username()))
                .isEqualTo(credential.password());
    }

    @Test
    void badTurnSettingsAreRefusedByName() {
        assertThatThrownBy(() -> NodeLifecycleTest.config(data, Map.of("turn.relayPortMin", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("turn.relayPortMin");
        assertThatThrownBy(() -> NodeLifecycleTest.config(data, Map.of("turn.secret", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("turn.secret");
        assertThatThrownBy(() -> NodeLifecycleTest.config(data, Map.of("turn.allowedPeers", "not-a-block")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not-a-block");
    }

    /** A STUN request with REQUESTED-TRANSPORT UDP (the server ignores it on Binding). */
    private static byte[] request(int type) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) type).putShort((short) 8).putInt(0x2112A442);
        for (int i = 0; i < 3; i++) {
            b.putInt((int) System.nanoTime() + i);
        }
        b.putShort((short) 0x0019).putShort((short) 4).putInt(17 << 24);
        return b.array();
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return Arrays.copyOf(buffer, packet.getLength());
    }

    private static int messageType(byte[] m) {
        return ((m[0] & 0xFF) << 8) | (m[1] & 0xFF);
    }

    /** The ERROR-CODE attribute's class * 100 + number, found by walking the attributes. */
    private static int errorCode(byte[] m) {
        int at = 20;
        while (at + 4 <= m.length) {
            int type = ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
            int length = ((m[at + 2] & 0xFF) << 8) | (m[at + 3] & 0xFF);
            if (type == 0x0009) {
                return (m[at + 6] & 0x07) * 100 + (m[at + 7] & 0xFF);
            }
            at += 4 + ((length + 3) & ~3);
        }
        return -1;
    }
}
