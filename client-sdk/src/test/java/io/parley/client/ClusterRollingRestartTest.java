package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * Three node processes sharing one PostgreSQL and one Redis of the test's own, under a steady load
 * of SDK clients that know every node: PostgreSQL is restarted (sends fail with 503 meanwhile and
 * recover by themselves), then every node in turn is stopped with SIGTERM and started again, as a
 * rolling upgrade does. Every message acknowledged "sent" reaches its recipient device exactly once.
 */
class ClusterRollingRestartTest {
    private static final int NODES = 3;
    private static final int SENDERS = 3;
    private static final int RECIPIENTS = 3;
    /** Each sender sends one message every PACE_MS until told to stop, at most this many attempts. */
    private static final int MAX_PER_SENDER = 10_000;
    private static final long PACE_MS = 20;
    private static final int ACKED_BETWEEN_PHASES = 30;
    private static final Duration PHASE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final Vertx vertx = Vertx.vertx();
    private ClusterNodes cluster;
    private StandalonePostgres postgres;
    private RedisServer redis;

    private record Recipient(DeviceCredentials credentials, List<ByteString> handed) {
        UUID user() {
            return Ids.uuid(credentials.getUserId(), "user_id");
        }
    }

    /** What the load saw: acknowledged ids per recipient, and failures by kind. */
    private record Load(Map<UUID, Set<ByteString>> acked, AtomicInteger ackedCount, AtomicInteger failedWith503,
            AtomicInteger failedOtherwise, AtomicBoolean stop) {
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            Await.result(vertx.close());
            if (postgres != null) {
                postgres.stop();
            }
            if (redis != null) {
                redis.stop();
            }
        }
    }

    @Test
    void aPostgresRestartAndARollingRestartOfEveryNodeLoseNothingAcknowledged() throws Exception {
        postgres = StandalonePostgres.start(root.resolve("postgres"), freePort());
        int redisPort = freePort();
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("appendonly no")
                .setting("dir " + root).build();
        redis.start();
        cluster = new ClusterNodes(root, NODES, Map.of("PARLEY_POSTGRES_URL", postgres.url(),
                "PARLEY_REDIS_URL", "redis://127.0.0.1:" + redisPort, "PARLEY_CLUSTER_FAILURE_SECONDS", "5"));
        for (int i = 0; i < NODES; i++) {
            cluster.start(i);
        }

        Load load = new Load(new ConcurrentHashMap<>(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
                new AtomicBoolean());
        List<Recipient> recipients = new ArrayList<>();
        List<ParleyClient> clients = new ArrayList<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            Recipient recipient = new Recipient(cluster.register(vertx, r, "rcpt"), new CopyOnWriteArrayList<>());
            load.acked().put(recipient.user(), ConcurrentHashMap.newKeySet());
            ParleyClient client = ParleyClient.create(vertx, cluster.addressesFrom(r), recipient.credentials());
            new Messenger(client).onEnvelope(e -> {
                if (e.getKind() == Envelope.Kind.MESSAGE) {
                    recipient.handed().add(e.getMessageId());
                }
            });
            Await.result(client.connect());
            clients.add(client);
            recipients.add(recipient);
        }
        List<Future<Void>> loops = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            ParleyClient client = ParleyClient.create(vertx, cluster.addressesFrom((s + 1) % NODES),
                    cluster.register(vertx, s, "sender"));
            clients.add(client);
            Messenger sender = new Messenger(Await.result(client.connect()));
            loops.add(sendLoop(sender, s, 0, recipients, load));
        }
        awaitMoreAcked(load, "the load to be under way");

        // PostgreSQL goes away and comes back: sends fail with 503 meanwhile, then succeed on their own.
        postgres.stop();
        Await.until(() -> load.failedWith503().get() > 0, "a send to fail with 503 while PostgreSQL is down", PHASE);
        postgres.start();
        awaitMoreAcked(load, "sends to succeed again after PostgreSQL's restart");

        // A rolling restart: each node in turn, its devices moving to the others and back.
        for (int i = 0; i < NODES; i++) {
            cluster.restart(i);
            awaitMoreAcked(load, "sends to go on after node " + i + " restarted");
        }
        load.stop().set(true);
        Await.result(Future.join(loops), PHASE);

        for (Recipient r : recipients) {
            Set<ByteString> expected = load.acked().get(r.user());
            Await.until(() -> r.handed().containsAll(expected), "every acknowledged message for a recipient", PHASE);
            assertThat(r.handed()).as("handed once").doesNotHaveDuplicates();
        }
        Await.until(() -> clients.stream().allMatch(ParleyClient::isConnected), "every device reconnected", PHASE);
        assertThat(load.ackedCount().get()).isGreaterThanOrEqualTo(ACKED_BETWEEN_PHASES * (NODES + 2));
        System.out.printf("rolling restart: %d acknowledged, %d failed with 503, %d failed otherwise, handed %d%n",
                load.ackedCount().get(), load.failedWith503().get(), load.failedOtherwise().get(),
                recipients.stream().mapToInt(r -> r.handed().size()).sum());
    }

    private static void awaitMoreAcked(Load load, String what) {
        int from = load.ackedCount().get();
        Await.until(() -> load.ackedCount().get() >= from + ACKED_BETWEEN_PHASES, what, PHASE);
    }

    /** One sender's steady load: one message every PACE_MS, round-robin over the recipients, bounded in count. */
    private Future<Void> sendLoop(Messenger sender, int s, int n, List<Recipient> recipients, Load load) {
        if (n >= MAX_PER_SENDER || load.stop().get()) {
            return Future.succeededFuture();
        }
        Recipient to = recipients.get((s + n) % recipients.size());
        return sender.send(to.user(), ("sender " + s + " message " + n).getBytes(StandardCharsets.UTF_8))
                .map(r -> {
                    load.acked().get(to.user()).add(r.getMessageId());
                    load.ackedCount().incrementAndGet();
                    return (Void) null;
                })
                .recover(e -> {
                    boolean unavailable = e instanceof ParleyException p && p.code() == 503;
                    (unavailable ? load.failedWith503() : load.failedOtherwise()).incrementAndGet();
                    return Future.succeededFuture();
                })
                .compose(v -> {
                    Promise<Void> paced = Promise.promise();
                    vertx.setTimer(PACE_MS, t -> paced.complete());
                    return paced.future();
                })
                .compose(v -> sendLoop(sender, s, n + 1, recipients, load));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
