package io.parley.turn;

import io.parley.bus.RestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user's relayed bytes per second are capped across the wire: the excess is dropped and counted. */
class BandwidthQuotaTest {
    private static final String SECRET = "parley-turn-quota-secret-0123";
    private static final int BYTES_PER_SECOND = 10_000;
    private static final int PACKETS = 40;
    private static final int PAYLOAD = 1_000;
    private static TurnServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        server = new TurnServer(TurnConfig.loopback(SECRET).withQuotas(10, 100, BYTES_PER_SECOND), Clock.systemUTC());
        address = new InetSocketAddress("127.0.0.1", server.start().toCompletableFuture().join());
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
    }

    @Test
    void aBurstPastTheUsersBytesPerSecondIsDropped() throws Exception {
        RestCredentials.Credential c = new RestCredentials(SECRET).issue("streamer", Instant.now().plusSeconds(600));
        try (TurnClient client = new TurnClient(address, "parley").as(c.username(), c.password()); Peer peer = new Peer()) {
            client.allocate();
            assertThat(TurnClient.errorCode(client.channelBind(0x4000, peer.address()))).isZero();
            long relayed = server.stats().relayedToPeer();
            long dropped = server.stats().overQuota();
            for (int i = 0; i < PACKETS; i++) {
                client.send(TurnClient.channelData(0x4000, new byte[PAYLOAD]));
            }
            Await.until("every packet relayed or dropped", Duration.ofSeconds(5),
                    () -> server.stats().relayedToPeer() - relayed + server.stats().overQuota() - dropped == PACKETS);
            long passed = server.stats().relayedToPeer() - relayed;
            // the bucket starts full (one second's worth) and refills at 10 bytes per millisecond during the burst
            assertThat(passed).isGreaterThanOrEqualTo(BYTES_PER_SECOND / PAYLOAD).isLessThan(PACKETS);
            assertThat(server.stats().overQuota() - dropped).isEqualTo(PACKETS - passed);
        }
    }
}
