package io.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The presence transitions in a real (embedded) Redis, without deploying anything. */
class PresenceStoreTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final PresenceConfig CONFIG = PresenceConfig.of(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static RedisServer server;
    private static Vertx vertx;
    private static PresenceStore store;

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        server.start();
        vertx = Vertx.vertx();
        store = new PresenceStore(Redis.createClient(vertx, "redis://127.0.0.1:" + port), CONFIG);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        await(vertx.close());
        server.stop();
    }

    @Test
    void onlyTheFirstLiveDeviceBringsTheUserOnlineEvenWhenEventsRepeat() {
        UUID user = UUID.randomUUID();

        boolean first = await(store.connect(user, 1, T0));
        boolean repeated = await(store.connect(user, 1, T0 + 5));
        boolean second = await(store.connect(user, 2, T0 + 10));

        assertThat(first).isTrue();
        assertThat(repeated).as("the same event seen by a second presence instance").isFalse();
        assertThat(second).isFalse();
        assertThat(await(store.state(user, T0 + 10))).isEqualTo(new PresenceStore.State(true, 0));
        assertThat(await(store.onlineDevices(user, T0 + 10))).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void onlyTheLastDeviceLeavingTakesTheUserOfflineAndRecordsLastSeen() {
        UUID user = UUID.randomUUID();
        await(store.connect(user, 1, T0));
        await(store.connect(user, 2, T0));

        boolean afterFirst = await(store.disconnect(user, 1, T0 + 100, 0));
        boolean afterLast = await(store.disconnect(user, 2, T0 + 200, 0));
        boolean again = await(store.disconnect(user, 2, T0 + 300, 0));

        assertThat(afterFirst).isFalse();
        assertThat(afterLast).isTrue();
        assertThat(again).as("a repeated disconnect changes nothing").isFalse();
        assertThat(await(store.state(user, T0 + 300))).isEqualTo(new PresenceStore.State(false, T0 + 200));
    }

    @Test
    void anEntryNotRenewedCountsAsOfflineOnceItExpires() {
        UUID user = UUID.randomUUID();
        await(store.connect(user, 1, T0));

        assertThat(await(store.state(user, T0 + CONFIG.onlineTtl().toMillis() - 1)).online()).isTrue();
        assertThat(await(store.state(user, T0 + CONFIG.onlineTtl().toMillis())).online()).isFalse();
    }

    @Test
    void theSweepListsDueEntriesAndRenewalMovesThemOn() {
        UUID user = UUID.randomUUID();
        long ttl = CONFIG.onlineTtl().toMillis();
        await(store.connect(user, 1, T0));

        boolean listed = await(store.due(T0 + ttl, 10_000)).contains(new PresenceStore.Due(user, 1, T0 + ttl));
        boolean renewed = await(store.renew(user, 1, T0 + ttl - 5));
        boolean listedAfter = await(store.due(T0 + ttl, 10_000)).stream().anyMatch(d -> d.userId().equals(user));

        assertThat(listed).isTrue();
        assertThat(renewed).isTrue();
        assertThat(listedAfter).isFalse();
        assertThat(await(store.state(user, T0 + ttl + 1)).online()).isTrue();
    }

    @Test
    void theSweepDoesNotRemoveAnEntryThatAReconnectRenewed() {
        UUID user = UUID.randomUUID();
        long ttl = CONFIG.onlineTtl().toMillis();
        await(store.connect(user, 1, T0));
        await(store.connect(user, 1, T0 + 1_000));

        boolean wentOffline = await(store.disconnect(user, 1, T0 + 2_000, T0 + ttl));

        assertThat(wentOffline).isFalse();
        assertThat(await(store.state(user, T0 + 2_000)).online()).isTrue();
    }

    @Test
    void renewingADeviceThatLeftMeanwhileDoesNotBringItBack() {
        UUID user = UUID.randomUUID();
        await(store.connect(user, 1, T0));
        await(store.disconnect(user, 1, T0 + 10, 0));

        assertThat(await(store.renew(user, 1, T0 + 20))).isFalse();
        assertThat(await(store.state(user, T0 + 20)).online()).isFalse();
    }

    @Test
    void subscriptionsEndAfterTheirTtlUnlessRenewed() {
        UUID target = UUID.randomUUID();
        UUID viewer = UUID.randomUUID();
        long ttl = CONFIG.subscriptionTtl().toMillis();
        await(store.subscribe(target, viewer, 3, T0));

        assertThat(await(store.subscribers(target, T0 + ttl - 1, 10)))
                .containsExactly(new PresenceStore.Subscriber(viewer, 3));
        assertThat(await(store.subscribers(target, T0 + ttl, 10))).isEmpty();
        await(store.subscribe(target, viewer, 3, T0 + ttl - 1));
        assertThat(await(store.subscribers(target, T0 + ttl + 1, 10))).hasSize(1);
    }

    @Test
    void oneInstanceAtATimeClaimsTheSweep() {
        boolean first = await(store.claimSweep(60_000));
        boolean second = await(store.claimSweep(60_000));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
