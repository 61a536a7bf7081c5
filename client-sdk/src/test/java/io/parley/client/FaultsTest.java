package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.node.ParleyNode;
import io.parley.proto.Authenticate;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.PresenceUpdate;
import io.parley.proto.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Faults, counted message by message: Redis stopped and started again empty under a steady load,
 * and a client that stops reading while messages pour in.
 */
class FaultsTest {
    private static final Duration PHASE = Duration.ofSeconds(60);

    @TempDir
    Path data;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void redisRestartedEmptyUnderLoadLosesNothingAndConnectedDevicesHealWithoutReconnecting() throws Exception {
        int port = freePort();
        RedisServer redis = redis(port);
        redis.start();
        try (ParleyNode node = TestNode.start(Map.of("redis.url", "redis://127.0.0.1:" + port))) {
            ServerAddress server = new ServerAddress("127.0.0.1", node.httpPort(), false);
            DeviceCredentials alice = Users.register(vertx, server, Users.uniqueName("alice"));
            DeviceCredentials bob = Users.register(vertx, server, Users.uniqueName("bob"));
            UUID bobId = Ids.uuid(bob.getUserId(), "user_id");
            Messenger sender = new Messenger(Await.result(ParleyClient.connect(vertx, server, alice)));
            List<ByteString> handed = new CopyOnWriteArrayList<>();
            List<String> bobConnection = new CopyOnWriteArrayList<>();
            ParleyClient bobClient = ParleyClient.create(vertx, server, bob).onConnectionChange(bobConnection::add);
            new Messenger(bobClient).onEnvelope(e -> {
                if (e.getKind() == Envelope.Kind.MESSAGE) {
                    handed.add(e.getMessageId());
                }
            });
            Await.result(bobClient.connect());

            Set<ByteString> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger failedWith503 = new AtomicInteger();
            AtomicInteger failedOtherwise = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Future<Void> load = sendLoop(sender, bobId, 0, acked, failedWith503, failedOtherwise, stop);
            Await.until(() -> acked.size() >= 20, "the load to be under way");

            redis.stop();
            Await.until(() -> failedWith503.get() > 0, "a send to fail with 503 while Redis is down", PHASE);
            redis = redis(port);
            redis.start();
            int ackedAtRestart = acked.size();
            Await.until(() -> acked.size() >= ackedAtRestart + 20, "sends to succeed again after Redis is back", PHASE);
            stop.set(true);
            Await.result(load, PHASE);

            Await.until(() -> handed.containsAll(acked), "every acknowledged message at the still connected recipient",
                    PHASE);
            assertThat(handed).doesNotHaveDuplicates();
            assertThat(bobConnection).as("the recipient stayed connected throughout").containsExactly("connected");
            assertThat(failedOtherwise.get()).as("every failure is a 503").isZero();
            // Presence was in Redis too: the connected recipient shows online again.
            ParleyClient watcher = Await.result(ParleyClient.connect(vertx, server,
                    Users.register(vertx, server, Users.uniqueName("watcher"))));
            Await.until(() -> Await.result(new Presence(watcher).subscribe(bobId)).getOnline(),
                    "the connected recipient online again");
            System.out.printf("redis restart: %d acknowledged, %d failed with 503 meanwhile, %d handed%n", acked.size(),
                    failedWith503.get(), handed.size());
        } finally {
            redis.stop();
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4429AndLaterGetsEverything() throws Exception {
        DeviceCredentials reader = Users.register(vertx, Users.uniqueName("stalled"));
        UUID readerId = Ids.uuid(reader.getUserId(), "user_id");
        WebSocket stalled = Await.result(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(TestNode.get().httpPort()).setURI("/v1/ws")));
        Promise<Void> authenticated = Promise.promise();
        AtomicInteger closeCode = new AtomicInteger();
        stalled.binaryMessageHandler(b -> authenticated.tryComplete());
        stalled.closeHandler(v -> closeCode.set(stalled.closeStatusCode() == null ? 1006 : stalled.closeStatusCode()));
        Await.result(stalled.writeBinaryMessage(Buffer.buffer(ClientFrame.newBuilder().setRequest(Request.newBuilder()
                .setId(1).setAuthenticate(Authenticate.newBuilder().setUserId(reader.getUserId())
                        .setDeviceId(1).setPassword(reader.getPassword()))).build().toByteArray())));
        Await.result(authenticated.future());
        stalled.pause();

        // More than the edge's 1 MiB write queue and both sockets' buffers: 24 MiB in 6,000 sends.
        Messenger sender = new Messenger(Users.connect(vertx, Users.register(vertx, Users.uniqueName("flood"))));
        byte[] body = new byte[4 * 1024];
        Set<ByteString> acked = ConcurrentHashMap.newKeySet();
        for (int batch = 0; batch < 60; batch++) {
            List<Future<ByteString>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                body[0] = (byte) i;
                sends.add(sender.send(readerId, body.clone()).map(r -> r.getMessageId()));
            }
            Await.result(Future.all(sends)).<ByteString>list().forEach(acked::add);
        }
        // Reading again, the client finds the edge gave up on it rather than buffering without bound.
        stalled.resume();
        Await.until(() -> closeCode.get() != 0, "the stalled connection to be closed", PHASE);
        assertThat(closeCode.get()).isEqualTo(4429);

        Device later = new Device(vertx, reader);
        Await.until(() -> later.received.stream().filter(e -> e.getKind() == Envelope.Kind.MESSAGE)
                .map(Envelope::getMessageId).collect(java.util.stream.Collectors.toSet()).containsAll(acked),
                "every message sent meanwhile, from the inbox", PHASE);
        later.close();
        System.out.printf("slow reader: closed with %d after %d messages (%d MiB) were sent to it; all %d delivered "
                + "on reconnect%n", closeCode.get(), acked.size(), acked.size() * body.length >> 20, acked.size());
    }

    private static RedisServer redis(int port) throws java.io.IOException {
        // No persistence: a restart comes back empty, as a cache server's restart may.
        return RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no").setting("save \"\"")
                .build();
    }

    private Future<Void> sendLoop(Messenger sender, UUID to, int n, Set<ByteString> acked, AtomicInteger failedWith503,
            AtomicInteger failedOtherwise, AtomicBoolean stop) {
        if (stop.get() || n >= 20_000) {
            return Future.succeededFuture();
        }
        return sender.send(to, ("message " + n).getBytes(StandardCharsets.UTF_8))
                .map(r -> {
                    acked.add(r.getMessageId());
                    return (Void) null;
                })
                .recover(e -> {
                    (e instanceof ParleyException p && p.code() == 503 ? failedWith503 : failedOtherwise).incrementAndGet();
                    return Future.succeededFuture();
                })
                .compose(v -> {
                    Promise<Void> paced = Promise.promise();
                    vertx.setTimer(20, t -> paced.complete());
                    return paced.future();
                })
                .compose(v -> sendLoop(sender, to, n + 1, acked, failedWith503, failedOtherwise, stop));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
