package io.parley.turn;

import io.parley.bus.RestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong, expired and stale credentials, forbidden peers, bad channels: each answered with its STUN error. */
class TurnBadInputTest {
    private static final String SECRET = "parley-turn-test-secret-0123";
    private static final ShiftableClock CLOCK = new ShiftableClock();
    private static TurnServer server;
    private static TurnServer strict;
    private static InetSocketAddress address;
    private static InetSocketAddress strictAddress;
    private static final RestCredentials CREDENTIALS = new RestCredentials(SECRET);

    @BeforeAll
    static void start() {
        server = new TurnServer(TurnConfig.loopback(SECRET).withAuthFailuresPerMinute(1000), CLOCK);
        address = new InetSocketAddress("127.0.0.1", server.start().toCompletableFuture().join());
        strict = new TurnServer(TurnConfig.loopback(SECRET).withAllowedPeers(List.of()).withAuthFailuresPerMinute(5), CLOCK);
        strictAddress = new InetSocketAddress("127.0.0.1", strict.start().toCompletableFuture().join());
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
        strict.stop().toCompletableFuture().join();
    }

    private static TurnClient client(InetSocketAddress at, String user, Instant expiry) throws Exception {
        RestCredentials.Credential c = CREDENTIALS.issue(user, expiry);
        return new TurnClient(at, "parley").as(c.username(), c.password());
    }

    private static TurnClient client(String user) throws Exception {
        return client(address, user, Instant.ofEpochMilli(CLOCK.millis()).plusSeconds(3600));
    }

    private static Message allocate(TurnClient client) throws Exception {
        return client.signed(MessageFactory.createAllocateRequest((byte) Stun.UDP, false));
    }

    @Test
    void unsignedAllocateGets401WithRealmAndNonce() throws Exception {
        try (TurnClient client = new TurnClient(address, "parley")) {
            Message challenge = client.exchange(TurnClient.encode(MessageFactory.createAllocateRequest((byte) Stun.UDP, false),
                    null, new byte[0]));
            assertThat(TurnClient.errorCode(challenge)).isEqualTo(401);
            assertThat(challenge.getAttribute(Attribute.REALM)).isNotNull();
            assertThat(TurnClient.nonceOf(challenge)).hasSize(NonceSigner.LENGTH);
        }
    }

    @Test
    void wrongHmacGets401() throws Exception {
        String username = CREDENTIALS.issue("mallory", Instant.now().plusSeconds(3600)).username();
        try (TurnClient client = new TurnClient(address, "parley").as(username, "not-the-password")) {
            long failures = server.stats().authFailures();
            assertThat(TurnClient.errorCode(allocate(client))).isEqualTo(401);
            assertThat(server.stats().authFailures()).isGreaterThan(failures);
        }
    }

    @Test
    void credentialOfAnotherSecretGets401() throws Exception {
        RestCredentials.Credential forged = new RestCredentials("some-other-secret-of-16").issue("eve",
                Instant.now().plusSeconds(3600));
        try (TurnClient client = new TurnClient(address, "parley").as(forged.username(), forged.password())) {
            assertThat(TurnClient.errorCode(allocate(client))).isEqualTo(401);
        }
    }

    @Test
    void expiredCredentialGets401() throws Exception {
        try (TurnClient client = client(address, "late", Instant.ofEpochMilli(CLOCK.millis()).minusSeconds(1))) {
            assertThat(TurnClient.errorCode(allocate(client))).isEqualTo(401);
        }
    }

    @Test
    void usernameWithoutExpiryGets401() throws Exception {
        try (TurnClient client = new TurnClient(address, "parley").as("plainuser", CREDENTIALS.password("plainuser"))) {
            assertThat(TurnClient.errorCode(allocate(client))).isEqualTo(401);
        }
    }

    @Test
    void staleNonceGets438AndAFreshOneWorks() throws Exception {
        try (TurnClient client = client("sleepy")) {
            client.allocate();
            String oldNonce = client.nonce;
            CLOCK.advanceMillis(TurnConfig.DEFAULT_NONCE_LIFETIME.toMillis() + 1000);
            Message stale = client.exchange(client.sign(MessageFactory.createRefreshRequest(600), new byte[0]));
            assertThat(TurnClient.errorCode(stale)).isEqualTo(438);
            assertThat(TurnClient.nonceOf(stale)).isNotEqualTo(oldNonce);
            client.nonce = TurnClient.nonceOf(stale);
            assertThat(TurnClient.errorCode(client.exchange(client.sign(MessageFactory.createRefreshRequest(600),
                    new byte[0])))).isZero();
        }
    }

    @Test
    void forgedNonceGets401() throws Exception {
        try (TurnClient client = client("forger")) {
            client.nonce = "0".repeat(NonceSigner.LENGTH);
            Message answer = client.exchange(client.sign(MessageFactory.createAllocateRequest((byte) Stun.UDP, false),
                    new byte[0]));
            assertThat(TurnClient.errorCode(answer)).isEqualTo(401);
        }
    }

    @Test
    void channelDataOnAnUnknownChannelIsDropped() throws Exception {
        try (TurnClient client = client("unknown-channel"); Peer peer = new Peer()) {
            client.allocate();
            assertThat(TurnClient.errorCode(client.channelBind(0x4000, peer.address()))).isZero();
            long unknown = server.stats().unknownChannel();
            client.send(TurnClient.channelData(0x4ABC, "lost".getBytes(StandardCharsets.UTF_8)));
            Await.until("the unknown channel counted", Duration.ofSeconds(5), () -> server.stats().unknownChannel() > unknown);
            client.send(TurnClient.channelData(0x4000, "kept".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(peer.receive().getData(), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }

    @Test
    void channelDataBeforeChannelBindIsDropped() throws Exception {
        try (TurnClient unallocated = client("no-allocation"); TurnClient client = client("no-bind"); Peer peer = new Peer()) {
            long unknown = server.stats().unknownChannel();
            unallocated.send(TurnClient.channelData(0x4000, "nowhere".getBytes(StandardCharsets.UTF_8)));
            client.allocate();
            client.send(TurnClient.channelData(0x4000, "early".getBytes(StandardCharsets.UTF_8)));
            Await.until("both dropped", Duration.ofSeconds(5), () -> server.stats().unknownChannel() >= unknown + 2);
            assertThat(TurnClient.errorCode(client.channelBind(0x4000, peer.address()))).isZero();
            client.send(TurnClient.channelData(0x4000, "bound".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(peer.receive().getData(), StandardCharsets.UTF_8)).isEqualTo("bound");
        }
    }

    @Test
    void channelNumbersOutsideTheRangeGet400() throws Exception {
        try (TurnClient client = client("bad-number"); Peer peer = new Peer()) {
            client.allocate();
            assertThat(TurnClient.errorCode(client.channelBind(0x3FFF, peer.address()))).isEqualTo(400);
            assertThat(TurnClient.errorCode(client.channelBind(0x8000, peer.address()))).isEqualTo(400);
        }
    }

    @Test
    void rebindingAChannelToAnotherPeerGets400() throws Exception {
        try (TurnClient client = client("rebinder"); Peer one = new Peer(); Peer two = new Peer()) {
            client.allocate();
            assertThat(TurnClient.errorCode(client.channelBind(0x4100, one.address()))).isZero();
            assertThat(TurnClient.errorCode(client.channelBind(0x4100, two.address()))).isEqualTo(400);
            assertThat(TurnClient.errorCode(client.channelBind(0x4101, one.address()))).isEqualTo(400);
        }
    }

    @Test
    void privateAndLinkLocalPeersGet403() throws Exception {
        try (TurnClient client = client("prober")) {
            client.allocate();
            for (String denied : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.10.10", "100.64.0.1", "0.0.0.0",
                    "224.0.0.1", "255.255.255.255")) {
                InetSocketAddress peer = new InetSocketAddress(denied, 5000);
                assertThat(TurnClient.errorCode(client.createPermission(peer))).as(denied).isEqualTo(403);
                assertThat(TurnClient.errorCode(client.channelBind(0x4200, peer))).as(denied).isEqualTo(403);
            }
        }
    }

    @Test
    void oneForbiddenPeerRefusesTheWholePermissionRequest() throws Exception {
        try (TurnClient client = client("mixed"); Peer peer = new Peer("127.0.0.5")) {
            InetSocketAddress relay = client.allocate();
            Message refused = client.createPermission(peer.address(), new InetSocketAddress("192.168.0.7", 9));
            assertThat(TurnClient.errorCode(refused)).isEqualTo(403);
            long dropped = server.stats().noPermission();
            peer.sendTo(relay, "no permission was installed".getBytes(StandardCharsets.UTF_8));
            Await.until("the peer's packet dropped", Duration.ofSeconds(5), () -> server.stats().noPermission() > dropped);
        }
    }

    @Test
    void loopbackPeersGet403WhenTheAllowListIsEmpty() throws Exception {
        try (TurnClient client = client(strictAddress, "loopback-prober", Instant.now().plusSeconds(3600));
                Peer peer = new Peer()) {
            client.allocate();
            assertThat(TurnClient.errorCode(client.createPermission(peer.address()))).isEqualTo(403);
            assertThat(TurnClient.errorCode(client.channelBind(0x4000, peer.address()))).isEqualTo(403);
        }
    }

    @Test
    void repeatedAuthenticationFailuresFromOneAddressGet429() throws Exception {
        String username = CREDENTIALS.issue("guesser", Instant.now().plusSeconds(3600)).username();
        try (TurnClient client = new TurnClient(strictAddress, "parley").as(username, "guess")) {
            int code = 0;
            for (int attempt = 0; attempt < 10 && code != 429; attempt++) {
                code = TurnClient.errorCode(allocate(client));
            }
            assertThat(code).isEqualTo(429);
        }
    }

    @Test
    void refreshAndPermissionWithoutAnAllocationGet437() throws Exception {
        try (TurnClient client = client("nobody"); Peer peer = new Peer()) {
            assertThat(TurnClient.errorCode(client.refresh(600))).isEqualTo(437);
            assertThat(TurnClient.errorCode(client.createPermission(peer.address()))).isEqualTo(437);
        }
    }

    @Test
    void tcpRelayTransportGets442() throws Exception {
        try (TurnClient client = client("tcp-relay")) {
            assertThat(TurnClient.errorCode(client.signed(MessageFactory.createAllocateRequest((byte) 6, false))))
                    .isEqualTo(442);
        }
    }
}
