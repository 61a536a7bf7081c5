package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The call transitions in a real (embedded) Redis, without deploying anything: when several calls
 * instances race on the same call, exactly one wins each transition.
 */
class CallStoreTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final int RACERS = 16;
    private static RedisServer server;
    private static Vertx vertx;
    private static CallStore store;

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
        store = new CallStore(Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
                .setMaxPoolSize(8).setMaxPoolWaiting(1000)));
    }

    @AfterAll
    static void stopRedis() throws IOException {
        await(vertx.close());
        server.stop();
    }

    private static Call ringing(UUID caller, UUID callee) {
        return new Call(UUID.randomUUID(), false, caller, 1, callee, false, true, T0, T0 + 45_000, 0, 0);
    }

    @Test
    void ofManyInstancesEndingTheSameCallExactlyOneDoes() {
        Call call = ringing(UUID.randomUUID(), UUID.randomUUID());
        assertThat(await(store.offer(call))).isEqualTo(CallStore.OfferResult.OK);

        List<Future<Boolean>> ends = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            ends.add(store.end(call, true, T0 + 50_000));
        }
        await(Future.join(ends));

        assertThat(ends.stream().filter(Future::result).count()).isEqualTo(1);
        assertThat(await(store.get(call.id()))).isEmpty();
        assertThat(await(store.callOf(call.caller()))).as("the caller is free again").isEmpty();
        assertThat(await(store.callOf(call.callee()))).isEmpty();
    }

    @Test
    void ofManyDevicesAcceptingTheSameCallExactlyOneGetsIt() {
        Call call = ringing(UUID.randomUUID(), UUID.randomUUID());
        await(store.offer(call));

        List<Future<CallStore.AcceptResult>> accepts = new ArrayList<>();
        for (int device = 1; device <= 5; device++) {
            accepts.add(store.accept(call.id(), call.callee(), device, T0 + 1_000));
        }
        await(Future.join(accepts));

        assertThat(accepts.stream().filter(f -> f.result() == CallStore.AcceptResult.OK).count()).isEqualTo(1);
        assertThat(accepts.stream().filter(f -> f.result() == CallStore.AcceptResult.ANSWERED).count()).isEqualTo(4);
        Call answered = await(store.get(call.id())).orElseThrow();
        assertThat(answered.ringing()).isFalse();
        assertThat(await(store.due(T0 + 100_000, 1000))).as("no longer due to time out").doesNotContain(call.id());
        assertThat(await(store.end(answered, true, 0))).as("an answered call does not end as a ringing one").isFalse();
        assertThat(await(store.end(answered, false, 0))).isTrue();
    }

    @Test
    void aRingNotDueYetIsNotTimedOutAndADueOneIs() {
        Call call = ringing(UUID.randomUUID(), UUID.randomUUID());
        await(store.offer(call));

        assertThat(await(store.end(call, true, call.ringUntil() - 1))).isFalse();
        assertThat(await(store.due(call.ringUntil() + 1, 1000))).contains(call.id());
        assertThat(await(store.end(call, true, call.ringUntil() + 1))).isTrue();
    }

    @Test
    void aUserInACallIsBusyForEveryOtherOfferEvenConcurrentOnes() {
        UUID callee = UUID.randomUUID();
        List<Future<CallStore.OfferResult>> offers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            offers.add(store.offer(ringing(UUID.randomUUID(), callee)));
        }
        await(Future.join(offers));

        assertThat(offers.stream().filter(f -> f.result() == CallStore.OfferResult.OK).count()).isEqualTo(1);
        assertThat(offers.stream().filter(f -> f.result() == CallStore.OfferResult.BUSY).count()).isEqualTo(RACERS - 1);
    }

    @Test
    void concurrentJoinsNeverPassTheParticipantCap() {
        UUID host = UUID.randomUUID();
        List<UUID> invitees = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            invitees.add(UUID.randomUUID());
        }
        Call call = new Call(UUID.randomUUID(), true, host, 1, null, false, false, T0, T0 + 45_000, 0, 0);
        assertThat(await(store.startGroup(call, invitees))).isTrue();

        List<Future<CallStore.JoinResult>> joins = new ArrayList<>();
        invitees.forEach(u -> joins.add(store.join(call.id(), u, 1, T0 + 1, 8)));
        await(Future.join(joins));

        assertThat(joins.stream().filter(f -> f.result() == CallStore.JoinResult.OK).count()).isEqualTo(7);
        assertThat(joins.stream().filter(f -> f.result() == CallStore.JoinResult.FULL).count()).isEqualTo(5);
        assertThat(await(store.participants(call.id()))).hasSize(8);
        assertThat(await(store.join(call.id(), UUID.randomUUID(), 1, T0 + 2, 8))).isEqualTo(CallStore.JoinResult.FORBIDDEN);
    }

    @Test
    void theLastLeaveEndsAGroupCallAndNamesWhoNeverJoined() {
        UUID host = UUID.randomUUID();
        UUID guest = UUID.randomUUID();
        UUID absent = UUID.randomUUID();
        Call call = new Call(UUID.randomUUID(), true, host, 1, null, true, false, T0, T0 + 45_000, 0, 0);
        await(store.startGroup(call, List.of(guest, absent)));
        await(store.join(call.id(), guest, 2, T0 + 10, 8));

        CallStore.Left first = await(store.leave(call.id(), host, 1)).orElseThrow();
        CallStore.Left last = await(store.leave(call.id(), guest, 2)).orElseThrow();

        assertThat(first.remaining()).isEqualTo(1);
        assertThat(first.neverJoined()).isEmpty();
        assertThat(last.joinedAt()).isEqualTo(T0 + 10);
        assertThat(last.remaining()).isZero();
        assertThat(last.neverJoined()).containsExactly(absent);
        assertThat(await(store.get(call.id()))).isEmpty();
        assertThat(await(store.leave(call.id(), guest, 2))).isEmpty();
    }

    @Test
    void aDisconnectIsDueOnlyAfterItsGraceAndOneInstanceClaimsIt() {
        CallStore.Disconnect drop = new CallStore.Disconnect(UUID.randomUUID(), UUID.randomUUID(), 2, "conn-1");
        for (int i = 0; i < 3; i++) {
            await(store.noteDisconnect(drop, T0 + 15_000));
        }

        assertThat(await(store.dueDisconnects(T0 + 14_999, 1000))).doesNotContain(drop);
        assertThat(await(store.dueDisconnects(T0 + 15_000, 1000))).containsOnlyOnce(drop);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            claims.add(store.claimDisconnect(drop));
        }
        await(Future.join(claims));

        assertThat(claims.stream().filter(Future::result).count()).isEqualTo(1);
        assertThat(await(store.dueDisconnects(T0 + 20_000, 1000))).doesNotContain(drop);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
