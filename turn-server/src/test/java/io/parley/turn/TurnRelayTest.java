package io.parley.turn;

import io.parley.bus.RestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.DataAttribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Allocations, permissions, channels and both relay paths, driven over real UDP sockets on loopback. */
class TurnRelayTest {
    static final String SECRET = "parley-turn-test-secret-0123";
    private static TurnServer server;
    private static InetSocketAddress address;
    private static RestCredentials credentials;

    @BeforeAll
    static void start() {
        server = new TurnServer(TurnConfig.loopback(SECRET).withQuotas(3, 1000, 0).withAuthFailuresPerMinute(1000),
                Clock.systemUTC());
        address = new InetSocketAddress("127.0.0.1", server.start().toCompletableFuture().join());
        credentials = new RestCredentials(SECRET);
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
    }

    private static TurnClient client(String user) throws Exception {
        RestCredentials.Credential c = credentials.issue(user, Instant.now().plusSeconds(3600));
        return new TurnClient(address, "parley").as(c.username(), c.password());
    }

    @Test
    void relaysBothWaysThroughAChannel() throws Exception {
        try (TurnClient client = client("channel-user"); Peer peer = new Peer()) {
            InetSocketAddress relay = client.allocate();
            assertThat(TurnClient.errorCode(client.channelBind(0x4001, peer.address()))).isZero();

            client.send(TurnClient.channelData(0x4001, "hello peer".getBytes(StandardCharsets.UTF_8)));
            DatagramPacket atPeer = peer.receive();
            assertThat(new String(atPeer.getData(), StandardCharsets.UTF_8)).isEqualTo("hello peer");
            assertThat(atPeer.getSocketAddress()).isEqualTo(relay);

            peer.sendTo(relay, "hello client".getBytes(StandardCharsets.UTF_8));
            byte[] atClient = client.receive();
            assertThat(atClient).startsWith(0x40, 0x01, 0x00, 12);
            assertThat(new String(atClient, 4, 12, StandardCharsets.UTF_8)).isEqualTo("hello client");
        }
    }

    @Test
    void relaysSendAndDataIndicationsWithoutAChannel() throws Exception {
        try (TurnClient client = client("indication-user"); Peer peer = new Peer()) {
            InetSocketAddress relay = client.allocate();
            assertThat(TurnClient.errorCode(client.createPermission(peer.address()))).isZero();

            client.send(TurnClient.encode(MessageFactory.createSendIndication(TurnClient.transport(peer.address()),
                    "via send".getBytes(StandardCharsets.UTF_8), TurnClient.newTransactionId()), null, new byte[0]));
            assertThat(new String(peer.receive().getData(), StandardCharsets.UTF_8)).isEqualTo("via send");

            peer.sendTo(relay, "via data".getBytes(StandardCharsets.UTF_8));
            byte[] indication = client.receive();
            Message data = Message.decode(indication, 0, indication.length);
            assertThat((int) data.getMessageType()).isEqualTo(Stun.type(Stun.DATA, Stun.CLASS_INDICATION));
            assertThat(new String(((DataAttribute) data.getAttribute(Attribute.DATA)).getData(), StandardCharsets.UTF_8))
                    .isEqualTo("via data");
        }
    }

    @Test
    void createPermissionInstallsEveryPeerOfOneRequest() throws Exception {
        try (TurnClient client = client("two-peers"); Peer first = new Peer("127.0.0.2");
                Peer second = new Peer("127.0.0.3"); Peer stranger = new Peer("127.0.0.4")) {
            InetSocketAddress relay = client.allocate();
            assertThat(TurnClient.errorCode(client.createPermission(first.address(), second.address()))).isZero();

            stranger.sendTo(relay, "not permitted".getBytes(StandardCharsets.UTF_8));
            first.sendTo(relay, "from first".getBytes(StandardCharsets.UTF_8));
            second.sendTo(relay, "from second".getBytes(StandardCharsets.UTF_8));
            String a = dataOf(client.receive());
            String b = dataOf(client.receive());
            assertThat(new String[] {a, b}).containsExactlyInAnyOrder("from first", "from second");
            assertThat(server.stats().noPermission()).isPositive();
        }
    }

    @Test
    void refreshWithLifetimeZeroDeletesTheAllocation() throws Exception {
        try (TurnClient client = client("refresher")) {
            client.allocate();
            Message kept = client.refresh(1200);
            assertThat(((LifetimeAttribute) kept.getAttribute(Attribute.LIFETIME)).getLifetime()).isEqualTo(1200);
            Message deleted = client.refresh(0);
            assertThat(TurnClient.errorCode(deleted)).isZero();
            assertThat(((LifetimeAttribute) deleted.getAttribute(Attribute.LIFETIME)).getLifetime()).isZero();
            assertThat(TurnClient.errorCode(client.refresh(600))).isEqualTo(437);
            client.allocate(); // the 5-tuple is free again
        }
    }

    @Test
    void retransmittedAllocateGetsTheSameAnswerAndAnotherGets437() throws Exception {
        try (TurnClient client = client("retransmitter")) {
            client.allocate();
            var request = MessageFactory.createAllocateRequest((byte) Stun.UDP, false);
            byte[] signed = client.sign(request, new byte[0]);
            Message first = client.exchange(signed);
            assertThat(TurnClient.errorCode(first)).isEqualTo(437);

            byte[] again = client.sign(MessageFactory.createAllocateRequest((byte) Stun.UDP, false), new byte[0]);
            try (TurnClient fresh = new TurnClient(address, "parley")) {
                fresh.username = client.username;
                fresh.key = client.key;
                fresh.nonce = client.nonce;
                Message original = fresh.exchange(again);
                Message repeated = fresh.exchange(again);
                assertThat(TurnClient.errorCode(original)).isZero();
                assertThat(repeated.getAttribute(Attribute.XOR_RELAYED_ADDRESS))
                        .isEqualTo(original.getAttribute(Attribute.XOR_RELAYED_ADDRESS));
            }
        }
    }

    @Test
    void anotherUsernameOnATakenFiveTupleGets437ForAllocateAnd441Otherwise() throws Exception {
        Instant expiry = Instant.now().plusSeconds(3600);
        RestCredentials.Credential owner = credentials.issue("port-reuser", expiry);
        RestCredentials.Credential later = credentials.issue("port-reuser", expiry.plusSeconds(60)); // a newer REST username
        try (TurnClient client = new TurnClient(address, "parley").as(owner.username(), owner.password())) {
            client.allocate();

            client.as(later.username(), later.password());
            Message allocate = client.signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false));
            assertThat(TurnClient.errorCode(allocate)).isEqualTo(437); // what uclient takes as "open a new socket"
            assertThat(allocate.getAttribute(Attribute.MESSAGE_INTEGRITY)).isNotNull(); // signed with the asker's key
            assertThat(TurnClient.errorCode(client.refresh(600))).isEqualTo(441);
            assertThat(TurnClient.errorCode(client.createPermission(new InetSocketAddress("127.0.0.1", 9)))).isEqualTo(441);

            client.as(later.username(), "not-the-password");
            assertThat(TurnClient.errorCode(client.signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false))))
                    .isEqualTo(401); // an Allocate under another username is still checked against its own key

            client.as(owner.username(), owner.password());
            assertThat(TurnClient.errorCode(client.refresh(600))).isZero(); // the owner's allocation is untouched
        }
    }

    @Test
    void answersBindingWithTheMappedAddress() throws Exception {
        try (TurnClient client = new TurnClient(address, "parley")) {
            Message response = client.exchange(TurnClient.encode(MessageFactory.createBindingRequest(), null, new byte[0]));
            assertThat((int) response.getMessageType()).isEqualTo(Stun.type(Stun.BINDING, Stun.CLASS_SUCCESS));
            var mapped = (org.ice4j.attribute.XorMappedAddressAttribute) response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            assertThat(mapped.getAddress(response.getTransactionID()).getPort()).isEqualTo(client.socket.getLocalPort());
            var software = (org.ice4j.attribute.SoftwareAttribute) response.getAttribute(Attribute.SOFTWARE);
            assertThat(new String(software.getSoftware(), StandardCharsets.UTF_8)).isEqualTo("Parley TURN");
        }
    }

    @Test
    void perUserAllocationQuotaGets486() throws Exception {
        TurnClient[] clients = new TurnClient[4];
        try {
            for (int i = 0; i < 3; i++) {
                clients[i] = client("greedy");
                clients[i].allocate();
            }
            clients[3] = client("greedy");
            Message refused = clients[3].signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false));
            assertThat(TurnClient.errorCode(refused)).isEqualTo(486);
            clients[0].refresh(0);
            Await.until("a quota slot freed", Duration.ofSeconds(5), () -> {
                try {
                    return TurnClient.errorCode(clients[3].signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false))) == 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            Arrays.stream(clients).filter(c -> c != null).forEach(TurnClient::close);
        }
    }

    static String dataOf(byte[] indication) throws Exception {
        Message data = Message.decode(indication, 0, indication.length);
        return new String(((DataAttribute) data.getAttribute(Attribute.DATA)).getData(), StandardCharsets.UTF_8);
    }
}
