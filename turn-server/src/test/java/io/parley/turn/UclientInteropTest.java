package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * coturn's own test client against Parley's TURN server: REST credentials, UDP and TCP to the server,
 * channels and Send indications, turnutils_peer echoing on loopback; every packet must come back.
 */
class UclientInteropTest {
    private static final String SECRET = "parley-turn-interop-secret";
    private static final int CLIENTS = 4;
    private static final int MESSAGES = 100;
    private static TurnServer server;
    private static Process peer;
    private static int peerPort;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(CoturnTools.installed(), "coturn's turnutils are not installed (apt-get install -y coturn)");
        server = new TurnServer(TurnConfig.loopback(SECRET).withQuotas(100, 1000, 0), Clock.systemUTC());
        server.start().toCompletableFuture().join();
        peerPort = CoturnTools.freeUdpPort();
        peer = CoturnTools.peer(peerPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.destroy();
            peer.waitFor(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop().toCompletableFuture().join();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "udp with channels, ''",
        "udp with send indications, -s",
        "tcp with channels, -t",
        "tcp with send indications, -t -s",
        "udp with padded channel data, -D"})
    void everyPacketComesBack(String name, String transportFlags) throws Exception {
        List<String> flags = new ArrayList<>(List.of("-c", "-m", String.valueOf(CLIENTS), "-n", String.valueOf(MESSAGES),
                "-l", "172", "-z", "5"));
        if (!transportFlags.isBlank()) {
            flags.addAll(List.of(transportFlags.split(" ")));
        }
        long relayedBefore = server.stats().relayedToClient();
        CoturnTools.Report report = CoturnTools.uclient(server.port(), peerPort, SECRET, flags, 30);

        assertThat(report.exitCode()).as(report.output()).isZero();
        assertThat(report.sent()).as(report.output()).isEqualTo((long) CLIENTS * MESSAGES);
        assertThat(report.received()).as(report.output()).isEqualTo(report.sent());
        assertThat(report.lost()).as(report.output()).isZero();
        assertThat(server.stats().relayedToClient() - relayedBefore).isGreaterThanOrEqualTo((long) CLIENTS * MESSAGES);
    }
}
