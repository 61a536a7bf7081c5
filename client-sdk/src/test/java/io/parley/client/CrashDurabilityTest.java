package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.node.NodeProcess;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Sent" means committed: a node killed with SIGKILL right after acknowledging loses none of it. */
class CrashDurabilityTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Map<String, String> ENV = Map.of("PARLEY_ACCOUNTS_VERIFICATION_SENDER", "file",
            "PARLEY_LIMITS_IP_BURST", "10000", "PARLEY_LIMITS_USER_BURST", "10000");

    @TempDir
    Path data;

    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void messagesAcknowledgedSentSurviveASigkillOfTheNode() throws Exception {
        List<SendMessageResponse> sent = new ArrayList<>();
        DeviceCredentials bob;
        try (NodeProcess node = NodeProcess.start(ENV, "start", "--data", data.toString(), "--port", "0")) {
            ServerAddress server = new ServerAddress("127.0.0.1", node.awaitReady(START), false);
            DeviceCredentials alice = register(server, "alice");
            bob = register(server, "bob");
            Messenger messenger = new Messenger(Await.result(ParleyClient.connect(vertx, server, alice)));
            for (int i = 0; i < 20; i++) {
                sent.add(Await.result(messenger.send(Ids.uuid(bob.getUserId(), "user_id"),
                        ("before the crash " + i).getBytes(StandardCharsets.UTF_8))));
            }
            node.signal("KILL");
            node.awaitExit(Duration.ofSeconds(30));
        }

        try (NodeProcess node = NodeProcess.start(ENV, "start", "--data", data.toString(), "--port", "0")) {
            ServerAddress server = new ServerAddress("127.0.0.1", node.awaitReady(START), false);
            ParleyClient bobClient = ParleyClient.create(vertx, server, bob);
            List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            new Messenger(bobClient).onEnvelope(e -> received.add(e.getContent().toStringUtf8()));
            Await.result(bobClient.connect());

            Await.until(() -> received.size() == 20, "all 20 acknowledged messages after the restart");
            assertThat(received).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> "before the crash " + i).toList());
            assertThat(sent).allMatch(r -> !r.getDuplicate());
            node.signal("TERM");
            node.awaitExit(Duration.ofSeconds(30));
        }
    }

    private DeviceCredentials register(ServerAddress server, String prefix) {
        return CodeFile.register(vertx, server, data.resolve("verification-codes.txt"), prefix);
    }
}
