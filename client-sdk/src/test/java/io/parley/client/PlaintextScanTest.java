package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server sees only ciphertext: after two SDK clients exchange messages through a node, no
 * plaintext is anywhere in PostgreSQL or Redis, scanned while the envelopes wait in the inbox and
 * after delivery. Controls prove the scan finds a plaintext that is there.
 */
class PlaintextScanTest {
    @TempDir
    Path folders;
    private Vertx vertx;
    private Pool db;
    private RedisAPI redis;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        db = PgBuilder.pool().connectingTo(TestNode.get().postgres()).using(vertx).build();
        redis = RedisAPI.api(Redis.createClient(vertx, TestNode.get().redis()));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void noPlaintextIsStoredAnywhereAndTheScanFindsAControl() {
        String run = UUID.randomUUID().toString();
        SecureDevice alice = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("alice")), folders.resolve("a"));
        SecureDevice bob = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("bob")), folders.resolve("b"));
        List<String> fromAlice = texts("from alice " + run, 20);
        List<String> fromBob = texts("from bob " + run, 20);
        List<byte[]> needles = new ArrayList<>();
        fromAlice.forEach(t -> needles.add(t.getBytes(StandardCharsets.UTF_8)));
        fromBob.forEach(t -> needles.add(t.getBytes(StandardCharsets.UTF_8)));

        bob.close();
        fromAlice.forEach(t -> alice.send(bob, t));
        assertThat(inboxRows(bob)).as("alice's messages wait for bob, encrypted").isEqualTo(20);
        assertClean(needles, "while alice's messages wait in the inbox");

        alice.close();
        SecureDevice bobBack = new SecureDevice(vertx, bob.credentials, bob.state);
        Await.until(() -> bobBack.texts().size() == 20, "bob to decrypt alice's messages");
        fromBob.forEach(t -> bobBack.send(alice, t));
        assertClean(needles, "while bob's answers wait in the inbox");

        SecureDevice aliceBack = new SecureDevice(vertx, alice.credentials, alice.state);
        Await.until(() -> aliceBack.texts().size() == 20, "alice to decrypt bob's answers");
        assertThat(bobBack.texts()).containsExactlyElementsOf(fromAlice);
        assertThat(aliceBack.texts()).containsExactlyElementsOf(fromBob);
        assertClean(needles, "after delivery");

        String control = "control plaintext " + run;
        Device plain = new Device(vertx, Users.register(vertx, Users.uniqueName("plain")));
        UUID offline = io.parley.bus.Ids.uuid(Users.register(vertx, Users.uniqueName("offline")).getUserId(), "user_id");
        Await.result(plain.messenger.send(offline, control.getBytes(StandardCharsets.UTF_8)));
        Await.result(redis.set(List.of("scan-control:" + run, "redis " + control)));
        List<byte[]> withControl = new ArrayList<>(needles);
        withControl.add(control.getBytes(StandardCharsets.UTF_8));
        assertThat(StoreScanner.postgres(db, withControl)).as("an unencrypted message is found in the inbox")
                .containsExactly("postgres \"public\".\"inbox\".\"content\"");
        assertThat(StoreScanner.redis(redis, withControl)).as("a plaintext value is found in Redis")
                .containsExactly("redis scan-control:" + run);
        Await.result(redis.del(List.of("scan-control:" + run)));
    }

    private void assertClean(List<byte[]> needles, String when) {
        assertThat(StoreScanner.tableCount(db)).as("the scan reads every table").isGreaterThanOrEqualTo(10);
        assertThat(StoreScanner.postgres(db, needles)).as("PostgreSQL " + when).isEmpty();
        assertThat(StoreScanner.redis(redis, needles)).as("Redis " + when).isEmpty();
    }

    private int inboxRows(SecureDevice device) {
        return Await.result(db.preparedQuery("SELECT count(*) FROM inbox WHERE user_id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(device.user()))).iterator().next().getLong(0).intValue();
    }

    private static List<String> texts(String prefix, int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add(prefix + " #" + i);
        }
        return texts;
    }
}
