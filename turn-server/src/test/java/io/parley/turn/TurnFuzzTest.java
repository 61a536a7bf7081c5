package io.parley.turn;

import io.parley.bus.RestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ice4j.message.MessageFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random and mutated packets (seeded from valid messages of every kind) over UDP, and more
 * over TCP: the server must neither crash nor stop answering, and must still relay afterwards.
 */
class TurnFuzzTest {
    private static final String SECRET = "parley-turn-fuzz-secret-0123";
    private static final int UDP_PACKETS = 100_000;
    private static final int TCP_PACKETS = 5_000;
    private static final int BURST = 500;
    private static final long SEED = 20261201L;
    private static TurnServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        server = new TurnServer(TurnConfig.loopback(SECRET).withQuotas(1000, 10_000, 0).withAuthFailuresPerMinute(1_000_000),
                Clock.systemUTC());
        address = new InetSocketAddress("127.0.0.1", server.start().toCompletableFuture().join());
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
    }

    private static TurnClient client() throws Exception {
        RestCredentials.Credential c = new RestCredentials(SECRET).issue("fuzzer", Instant.now().plusSeconds(3600));
        return new TurnClient(address, "parley").as(c.username(), c.password());
    }

    /** Valid messages of every kind the server reads, signed where they need to be. */
    private static List<byte[]> seeds(TurnClient client, Peer peer) throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TurnClient.encode(MessageFactory.createBindingRequest(), null, new byte[0]));
        seeds.add(client.sign(MessageFactory.createAllocateRequest((byte) Stun.UDP, false), new byte[0]));
        seeds.add(client.sign(MessageFactory.createRefreshRequest(600), new byte[0]));
        var permission = MessageFactory.createCreatePermissionRequest(TurnClient.transport(peer.address()), new byte[12]);
        permission.removeAttribute(org.ice4j.attribute.Attribute.XOR_PEER_ADDRESS);
        seeds.add(client.sign(permission, concat(TurnClient.xorPeer(peer.address()), TurnClient.xorPeer(peer.address()))));
        var bind = MessageFactory.createChannelBindRequest((char) 0x4000, TurnClient.transport(peer.address()), new byte[12]);
        bind.removeAttribute(org.ice4j.attribute.Attribute.XOR_PEER_ADDRESS);
        seeds.add(client.sign(bind, TurnClient.xorPeer(peer.address())));
        seeds.add(TurnClient.encode(MessageFactory.createSendIndication(TurnClient.transport(peer.address()),
                "fuzz".getBytes(StandardCharsets.UTF_8), TurnClient.newTransactionId()), null, new byte[0]));
        seeds.add(TurnClient.channelData(0x4000, "fuzz channel data".getBytes(StandardCharsets.UTF_8)));
        return seeds;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One mutant: random bytes, flipped bytes, a wrong length field, truncation, extension or spliced attributes. */
    static byte[] mutate(List<byte[]> seeds, Random random) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        byte[] m = seed.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                m = new byte[random.nextInt(200)];
                random.nextBytes(m);
            }
            case 1 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n && m.length > 0; i++) {
                    m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> {
                if (m.length > 4) {
                    int at = random.nextBoolean() ? 2 : 20 + 2 + 4 * random.nextInt(Math.max(1, (m.length - 22) / 4));
                    at = Math.min(at, m.length - 2);
                    m[at] = (byte) random.nextInt(256);
                    m[at + 1] = (byte) random.nextInt(256);
                }
            }
            case 3 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1));
            case 4 -> {
                byte[] tail = new byte[1 + random.nextInt(64)];
                random.nextBytes(tail);
                m = concat(m, tail);
            }
            case 5 -> {
                if (m.length > 24) {
                    int at = 20 + 4 * random.nextInt((m.length - 20) / 4);
                    m[at] = (byte) random.nextInt(256);
                    m[Math.min(at + 1, m.length - 1)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = Math.min(m.length, 20 + random.nextInt(Math.max(1, m.length - 19)));
                m = concat(Arrays.copyOf(m, cut), Arrays.copyOfRange(other, Math.min(20, other.length), other.length));
            }
        }
        return m;
    }

    @Test
    void survivesMutatedUdpAndTcpTrafficAndStillRelays() throws Exception {
        Random random = new Random(SEED);
        try (TurnClient client = client(); Peer peer = new Peer()) {
            client.allocate();
            client.channelBind(0x4000, peer.address());
            List<byte[]> seeds = seeds(client, peer);
            for (int sent = 0; sent < UDP_PACKETS; sent += BURST) {
                for (int i = 0; i < BURST; i++) {
                    client.send(mutate(seeds, random));
                }
                assertAnswersBinding(); // paces the bursts and proves the server is alive after each
            }
            try (Socket tcp = new Socket()) {
                tcp.connect(address, TurnClient.TIMEOUT_MILLIS);
                OutputStream out = tcp.getOutputStream();
                for (int i = 0; i < TCP_PACKETS && !tcp.isClosed(); i++) {
                    try {
                        out.write(mutate(seeds, random));
                    } catch (java.io.IOException closedByServer) {
                        break; // a frame the server cannot resynchronise on closes the connection, as designed
                    }
                }
            }
            assertThat(server.stats().malformed()).isPositive();
            assertAnswersBinding();
        }
        try (TurnClient fresh = client(); Peer peer = new Peer()) {
            InetSocketAddress relay = fresh.allocate();
            assertThat(TurnClient.errorCode(fresh.channelBind(0x4321, peer.address()))).isZero();
            fresh.send(TurnClient.channelData(0x4321, "after the storm".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(peer.receive().getData(), StandardCharsets.UTF_8)).isEqualTo("after the storm");
            peer.sendTo(relay, "back".getBytes(StandardCharsets.UTF_8));
            byte[] back = fresh.receive();
            assertThat(new String(back, 4, back.length - 4, StandardCharsets.UTF_8)).isEqualTo("back");
        }
    }

    private static void assertAnswersBinding() throws Exception {
        try (TurnClient probe = new TurnClient(address, "parley")) {
            var response = probe.exchange(TurnClient.encode(MessageFactory.createBindingRequest(), null, new byte[0]));
            assertThat((int) response.getMessageType()).isEqualTo(Stun.type(Stun.BINDING, Stun.CLASS_SUCCESS));
        }
    }
}
