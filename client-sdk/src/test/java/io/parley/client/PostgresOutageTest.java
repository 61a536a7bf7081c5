package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.node.ParleyNode;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

/**
 * PostgreSQL stopped and started again under a steady load of sends: during the outage sends
 * fail with 503 and nothing is acknowledged; after it sends succeed again on their own; every
 * message acknowledged "sent" reaches the recipient once.
 */
class PostgresOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    @TempDir
    Path data;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void sendsFailWith503DuringAnOutageAndRecoverWithNothingAcknowledgedLost() throws Exception {
        StandalonePostgres postgres = StandalonePostgres.start(data.resolve("postgres"), freePort());
        try (ParleyNode node = TestNode.start(Map.of("postgres.url", postgres.url()))) {
            ServerAddress server = new ServerAddress("127.0.0.1", node.httpPort(), false);
            DeviceCredentials alice = register(server, "alice");
            DeviceCredentials bob = register(server, "bob");
            UUID bobId = Ids.uuid(bob.getUserId(), "user_id");
            Messenger sender = new Messenger(Await.result(ParleyClient.connect(vertx, server, alice)));
            List<ByteString> handed = new CopyOnWriteArrayList<>();
            ParleyClient bobClient = ParleyClient.create(vertx, server, bob);
            new Messenger(bobClient).onEnvelope(e -> {
                if (e.getKind() == Envelope.Kind.MESSAGE) {
                    handed.add(e.getMessageId());
                }
            });
            Await.result(bobClient.connect());

            Set<ByteString> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger failedWith503 = new AtomicInteger();
            AtomicInteger failedOtherwise = new AtomicInteger();
            AtomicInteger ackedAfterRestart = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Future<Void> load = sendLoop(sender, bobId, 0, acked, failedWith503, failedOtherwise, restarted,
                    ackedAfterRestart, stop);

            Await.until(() -> acked.size() >= 20, "the load to be under way");
            postgres.stop();
            int ackedBeforeOutage = acked.size();
            Await.until(() -> failedWith503.get() > 0, "a send to fail with 503 while PostgreSQL is down",
                    Duration.ofSeconds(30));
            Thread.sleep(OUTAGE.toMillis());
            assertThat(acked.size()).as("nothing is acknowledged while PostgreSQL is down")
                    .isLessThanOrEqualTo(ackedBeforeOutage + 1);
            postgres.start();
            restarted.set(true);
            Await.until(() -> ackedAfterRestart.get() >= 20, "sends to succeed again after the restart",
                    Duration.ofSeconds(60));
            stop.set(true);
            Await.result(load, Duration.ofSeconds(60));

            Await.until(() -> handed.containsAll(acked), "every acknowledged message at the recipient",
                    Duration.ofSeconds(60));
            assertThat(handed).doesNotHaveDuplicates();
            assertThat(failedOtherwise.get()).as("every failure is a 503").isZero();
        } finally {
            postgres.stop();
        }
    }

    /** One message at a time until told to stop, counting acknowledgements and failures by code. */
    private Future<Void> sendLoop(Messenger sender, UUID to, int n, Set<ByteString> acked, AtomicInteger failedWith503,
            AtomicInteger failedOtherwise, AtomicBoolean restarted, AtomicInteger ackedAfterRestart, AtomicBoolean stop) {
        if (stop.get()) {
            return Future.succeededFuture();
        }
        boolean afterRestart = restarted.get();
        return sender.send(to, ("message " + n).getBytes(StandardCharsets.UTF_8))
                .map(r -> {
                    acked.add(r.getMessageId());
                    if (afterRestart) {
                        ackedAfterRestart.incrementAndGet();
                    }
                    return (Void) null;
                })
                .recover(e -> {
                    if (e instanceof ParleyException p && p.code() == 503) {
                        failedWith503.incrementAndGet();
                    } else {
                        failedOtherwise.incrementAndGet();
                    }
                    // A client backs off a little after a 503.
                    io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
                    vertx.setTimer(50, t -> later.complete());
                    return later.future();
                })
                .compose(v -> sendLoop(sender, to, n + 1, acked, failedWith503, failedOtherwise, restarted,
                        ackedAfterRestart, stop));
    }

    private DeviceCredentials register(ServerAddress server, String prefix) {
        AccountsApi api = new AccountsApi(vertx, server);
        String name = Users.uniqueName(prefix);
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build()));
        DeviceCredentials credentials = Await.result(api.register(RegisterRequest.newBuilder().setUsername(name)
                .setCode(TestNode.CODES.codeFor(name)).build()));
        api.close();
        return credentials;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
