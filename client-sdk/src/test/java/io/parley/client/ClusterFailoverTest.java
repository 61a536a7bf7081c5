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
 * A cluster under a steady load: a third node joins and takes connections, then another node is
 * killed with SIGKILL. Every message acknowledged "sent" reaches each recipient device exactly
 * once, after the devices of the dead node reconnect by themselves to another one. Every id is
 * counted.
 */
class ClusterFailoverTest {
    private static final int SENDERS = 4;
    private static final int RECIPIENTS = 4;
    /** Each sender sends one message every PACE_MS until told to stop, at most this many. */
    private static final int MAX_PER_SENDER = 3_000;
    private static final long PACE_MS = 20;
    private static final int ACKED_AFTER_FAILOVER = 40;
    private static final int JOIN_AFTER_ACKED = 30;
    private static final int KILL_AFTER_ACKED = 90;
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

    /** Connects to the home node first; after a failed attempt the SDK moves on to the next running node. */
    private ParleyClient connect(Recipient recipient, int home, int running) {
        List<ServerAddress> nodes = new ArrayList<>();
        for (int i = 0; i < running; i++) {
            nodes.add(cluster.address((home + i) % running));
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
    void aNodeJoinsUnderLoadAndEveryMessageAcknowledgedSentIsDeliveredOnceAfterAnotherIsKilled() throws Exception {
        cluster = new ClusterNodes(root, 3, Map.of("PARLEY_CLUSTER_FAILURE_SECONDS", "5"));
        cluster.start(0);
        cluster.start(1);
        List<Recipient> recipients = new CopyOnWriteArrayList<>();
        List<ParleyClient> recipientClients = new CopyOnWriteArrayList<>();
        Map<UUID, Set<ByteString>> acked = new ConcurrentHashMap<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            Recipient recipient = newRecipient(acked);
            recipientClients.add(connect(recipient, r % 2, 2));
            recipients.add(recipient);
        }
        List<Messenger> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(new Messenger(Await.result(ParleyClient.connect(vertx, cluster.address(0),
                    cluster.register(vertx, 0, "sender")))));
        }

        AtomicInteger ackedCount = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Future<Void>> loads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            loads.add(sendLoop(senders.get(s), s, 0, recipients, acked, ackedCount, failed, stop));
        }
        Await.until(() -> ackedCount.get() >= JOIN_AFTER_ACKED, "the load to be under way", Duration.ofSeconds(60));

        // A third node joins under load and takes connections; the load then reaches its devices too.
        cluster.start(2);
        List<Recipient> joined = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Recipient recipient = newRecipient(acked);
            recipientClients.add(connect(recipient, 2, 3));
            joined.add(recipient);
            recipients.add(recipient);
        }
        try {
            Await.until(() -> joined.stream().allMatch(r -> !r.handed().isEmpty()),
                    "devices on the new node to receive messages", Duration.ofSeconds(60));
        } catch (AssertionError e) {
            for (int i = 0; i < 3; i++) {
                String out = cluster.process(i).output();
                System.out.println("=== node " + i + "\n" + out.substring(Math.max(0, out.length() - 6000)));
            }
            System.out.println("acked to joined: " + joined.stream().map(r -> acked.get(r.user()).size()).toList()
                    + " raw " + joined.stream().map(r -> r.raw().size()).toList() + " failed " + failed.get()
                    + " acked " + ackedCount.get());
            throw e;
        }

        // A device that knows only node 1, watched from node 0: when node 1 dies it cannot move, and
        // the watcher must see it go offline soon, not when its route and presence entry expire.
        DeviceCredentials lone = cluster.register(vertx, 0, "lone");
        Await.result(ParleyClient.create(vertx, cluster.address(1), lone).connect());
        List<io.parley.proto.PresenceUpdate> watched = new CopyOnWriteArrayList<>();
        ParleyClient watcher = Await.result(ParleyClient.connect(vertx, cluster.address(0), cluster.register(vertx, 0, "watcher")));
        Presence presence = new Presence(watcher).onUpdate(watched::add);
        io.parley.proto.PresenceUpdate first = Await.result(presence.subscribe(Ids.uuid(lone.getUserId(), "user_id")));
        Await.until(() -> first.getOnline() || watched.stream().anyMatch(io.parley.proto.PresenceUpdate::getOnline),
                "the lone device online");

        Await.until(() -> ackedCount.get() >= KILL_AFTER_ACKED, "more of the load", Duration.ofSeconds(60));
        cluster.process(1).signal("KILL");
        cluster.process(1).awaitExit(Duration.ofSeconds(30));
        long killedAt = System.nanoTime();
        // The state, asked as any device asks it (the pushed update is not relied on: see the session
        // note on pushes lost right after a node's death).
        UUID loneUser = Ids.uuid(lone.getUserId(), "user_id");
        try {
            Await.until(() -> shownOffline(presence, loneUser), "the dead node's lone device offline",
                    Duration.ofSeconds(60));
        } catch (AssertionError e) {
            for (int i : new int[] {0, 2}) {
                System.out.println("=== node " + i + "\n" + cluster.process(i).output().lines()
                        .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("left")
                                || l.contains("presence"))
                        .filter(l -> !l.contains("Connecting to server")).limit(60)
                        .collect(java.util.stream.Collectors.joining("\n")));
            }
            System.out.println("watched: " + watched + "; the last subscribe answered: " + lastAnswer);
            System.out.println("redis: " + presenceKeys(loneUser, lone.getDeviceId()));
            throw e;
        }
        System.out.printf("failover: the dead node's device shown offline %.1f s after the kill%n",
                (System.nanoTime() - killedAt) / 1e9);
        // The devices of the dead node reconnect by themselves, to the next node of their list.
        int ackedAtKill = ackedCount.get();
        Await.until(() -> ackedCount.get() >= ackedAtKill + ACKED_AFTER_FAILOVER, "the load to go on after the kill",
                Duration.ofSeconds(60));
        stop.set(true);
        Await.result(Future.join(loads), Duration.ofSeconds(60));

        for (Recipient r : recipients) {
            Set<ByteString> expected = acked.get(r.user());
            try {
                Await.until(() -> r.handed().containsAll(expected), "every acknowledged message for a recipient",
                        DELIVERY_DEADLINE);
            } catch (AssertionError e) {
                for (int i = 0; i < recipients.size(); i++) {
                    Recipient x = recipients.get(i);
                    System.out.println("recipient " + i + " missing " + acked.get(x.user()).stream()
                            .filter(id -> !x.handed().contains(id)).count() + " of " + acked.get(x.user()).size()
                            + " connected " + recipientClients.get(i).isConnected());
                }
                for (int i = 0; i < 3; i++) {
                    System.out.println("=== node " + i + "\n" + cluster.process(i).output().lines()
                            .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("left the cluster"))
                            .limit(40).collect(java.util.stream.Collectors.joining("\n")));
                }
                throw e;
            }
            assertThat(r.handed()).as("every message acknowledged 'sent' is handed to the app").containsAll(expected);
            assertThat(r.handed()).as("and handed once").doesNotHaveDuplicates();
        }
        Await.until(() -> recipientClients.stream().allMatch(ParleyClient::isConnected), "every device reconnected");
        assertThat(failed.get()).as("only sends caught by the kill fail").isLessThan(ackedCount.get() / 4);
        System.out.printf("failover: %d acknowledged, %d failed (503 or time-out during the kill), raw envelopes %d, handed %d%n",
                ackedCount.get(), failed.get(), recipients.stream().mapToInt(r -> r.raw().size()).sum(),
                recipients.stream().mapToInt(r -> r.handed().size()).sum());
    }

    /**
     * Whether a fresh subscription shows the user offline. Until the cluster has declared the dead
     * node gone, a request can still be routed to its handlers and come back as a 503 ("retry
     * later"); a device retries it, and so does this.
     */
    private static boolean shownOffline(Presence presence, UUID user) {
        try {
            boolean online = Await.result(presence.subscribe(user)).getOnline();
            lastAnswer = online ? "online" : "offline";
            return !online;
        } catch (ParleyException e) {
            if (e.code() == 503) {
                lastAnswer = e.getMessage();
                return false;
            }
            throw e;
        }
    }

    /** What Redis holds of the device's presence and route and of the nodes' liveness (for a failure). */
    private String presenceKeys(UUID user, int device) {
        io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(vertx, cluster.redisUrl());
        try {
            String member = user + "/" + device;
            java.util.function.Function<io.vertx.redis.client.Request, String> ask = r -> String.valueOf(
                    Await.result(redis.send(r)));
            return "devices " + ask.apply(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.ZRANGE)
                    .arg("parley:presence:{" + user + "}:devices").arg(0).arg(-1).arg("WITHSCORES"))
                    + ", index " + ask.apply(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.ZSCORE)
                    .arg("parley:presence:expiry").arg(member))
                    + ", route " + ask.apply(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.GET)
                    .arg("parley:route:" + user + ":" + device))
                    + ", alive " + ask.apply(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.KEYS)
                    .arg("parley:node:*"))
                    + ", departed " + ask.apply(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SMEMBERS)
                    .arg("parley:presence:departed"))
                    + ", now " + System.currentTimeMillis();
        } catch (RuntimeException e) {
            return "not readable: " + e;
        } finally {
            redis.close();
        }
    }

    /** What the last subscribe of the offline wait answered, for the failure message. */
    private static volatile String lastAnswer = "nothing yet";

    private Recipient newRecipient(Map<UUID, Set<ByteString>> acked) throws Exception {
        Recipient recipient = new Recipient(cluster.register(vertx, 0, "rcpt"), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        acked.put(recipient.user(), ConcurrentHashMap.newKeySet());
        return recipient;
    }

    /** One sender's steady load: one message every PACE_MS, round-robin over the recipients, bounded in count. */
    private Future<Void> sendLoop(Messenger sender, int s, int n, List<Recipient> recipients,
            Map<UUID, Set<ByteString>> acked, AtomicInteger ackedCount, AtomicInteger failed,
            java.util.concurrent.atomic.AtomicBoolean stop) {
        if (n >= MAX_PER_SENDER || stop.get()) {
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
                .compose(v -> {
                    io.vertx.core.Promise<Void> paced = io.vertx.core.Promise.promise();
                    vertx.setTimer(PACE_MS, t -> paced.complete());
                    return paced.future();
                })
                .compose(v -> sendLoop(sender, s, n + 1, recipients, acked, ackedCount, failed, stop));
    }
}
