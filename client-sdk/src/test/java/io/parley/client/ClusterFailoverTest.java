package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of a three-node cluster killed with SIGKILL in the middle of a steady load: every message
 * acknowledged "sent" reaches each recipient device exactly once, after the devices of the dead
 * node reconnect by themselves to another one. Every id is counted.
 */
class ClusterFailoverTest {
    private static final int SENDERS = 4;
    private static final int RECIPIENTS = 4;
    private static final int MESSAGES_PER_SENDER = 60;
    private static final int KILL_AFTER_ACKED = 60;
    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final Vertx vertx = Vertx.vertx();
    private ClusterNodes cluster;

    /** A recipient device: the ids its app was handed (deduplicated by the SDK) and every raw envelope id. */
    private record Recipient(DeviceCredentials credentials, List<ByteString> handed, List<ByteString> raw) {
        UUID user() {
            return Ids.uuid(credentials.getUserId(), "user_id");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            Await.result(vertx.close());
        }
    }

    /** Connects to the home node first; after a failed attempt the SDK moves on to the next node. */
    private ParleyClient connect(Recipient recipient, int home) {
        List<ServerAddress> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(cluster.address((home + i) % 3));
        }
        ParleyClient client = ParleyClient.create(vertx, nodes, recipient.credentials());
        client.onPush(p -> {
            if (p.hasEnvelope() && p.getEnvelope().getKind() == Envelope.Kind.MESSAGE) {
                recipient.raw().add(p.getEnvelope().getMessageId());
            }
        });
        new Messenger(client).onEnvelope(e -> {
            if (e.getKind() == Envelope.Kind.MESSAGE) {
                recipient.handed().add(e.getMessageId());
            }
        });
        Await.result(client.connect());
        return client;
    }

    @Test
    void everyMessageAcknowledgedSentIsDeliveredOnceAfterANodeIsKilled() throws Exception {
        cluster = new ClusterNodes(root, 3, Map.of("PARLEY_CLUSTER_FAILURE_SECONDS", "5"));
        for (int i = 0; i < 3; i++) {
            cluster.start(i);
        }
        List<Recipient> recipients = new ArrayList<>();
        List<ParleyClient> recipientClients = new ArrayList<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            Recipient recipient = new Recipient(cluster.register(vertx, 0, "rcpt"), new CopyOnWriteArrayList<>(),
                    new CopyOnWriteArrayList<>());
            recipients.add(recipient);
            recipientClients.add(connect(recipient, 1 + r % 2));
        }
        List<Messenger> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(new Messenger(Await.result(ParleyClient.connect(vertx, cluster.address(0),
                    cluster.register(vertx, 0, "sender")))));
        }

        Map<UUID, Set<ByteString>> acked = new ConcurrentHashMap<>();
        recipients.forEach(r -> acked.put(r.user(), ConcurrentHashMap.newKeySet()));
        AtomicInteger ackedCount = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Future<Void>> loads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            loads.add(sendLoop(senders.get(s), s, 0, recipients, acked, ackedCount, failed));
        }
        Await.until(() -> ackedCount.get() >= KILL_AFTER_ACKED, "the load to be under way", Duration.ofSeconds(60));
        cluster.process(2).signal("KILL");
        cluster.process(2).awaitExit(Duration.ofSeconds(30));

        // The devices of the dead node reconnect by themselves, to the next node of their list.
        Await.result(Future.join(loads), Duration.ofSeconds(120));

        for (Recipient r : recipients) {
            Set<ByteString> expected = acked.get(r.user());
            Await.until(() -> r.handed().containsAll(expected), "every acknowledged message for a recipient",
                    DELIVERY_DEADLINE);
            assertThat(r.handed()).as("every message acknowledged 'sent' is handed to the app").containsAll(expected);
            assertThat(r.handed()).as("and handed once").doesNotHaveDuplicates();
        }
        assertThat(recipientClients).allMatch(ParleyClient::isConnected);
        assertThat(ackedCount.get()).as("most sends are acknowledged despite the kill")
                .isGreaterThan(SENDERS * MESSAGES_PER_SENDER / 2);
        System.out.printf("failover: %d acknowledged, %d failed (503 or time-out during the kill), raw envelopes %d, handed %d%n",
                ackedCount.get(), failed.get(), recipients.stream().mapToInt(r -> r.raw().size()).sum(),
                recipients.stream().mapToInt(r -> r.handed().size()).sum());
    }

    /** One sender's steady load: one message at a time, round-robin over the recipients, bounded in count. */
    private Future<Void> sendLoop(Messenger sender, int s, int n, List<Recipient> recipients,
            Map<UUID, Set<ByteString>> acked, AtomicInteger ackedCount, AtomicInteger failed) {
        if (n >= MESSAGES_PER_SENDER) {
            return Future.succeededFuture();
        }
        Recipient to = recipients.get((s + n) % recipients.size());
        return sender.send(to.user(), ("sender " + s + " message " + n).getBytes(StandardCharsets.UTF_8))
                .map(r -> {
                    acked.get(to.user()).add(r.getMessageId());
                    ackedCount.incrementAndGet();
                    return (Void) null;
                })
                .recover(e -> {
                    failed.incrementAndGet();
                    return Future.succeededFuture();
                })
                .compose(v -> sendLoop(sender, s, n + 1, recipients, acked, ackedCount, failed));
    }
}
