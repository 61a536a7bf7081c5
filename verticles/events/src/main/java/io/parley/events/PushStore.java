package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** The events verticle's SQL: push subscriptions and the VAPID key pair (tables of V26__push.sql). */
final class PushStore {
    private final Pool pool;

    PushStore(Pool pool) {
        this.pool = pool;
    }

    Future<Void> save(Subscription s) {
        return pool.preparedQuery("INSERT INTO push_subscriptions (user_id, device_id, kind, endpoint, p256dh, auth, token) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, device_id) DO UPDATE SET "
                        + "kind = EXCLUDED.kind, endpoint = EXCLUDED.endpoint, p256dh = EXCLUDED.p256dh, "
                        + "auth = EXCLUDED.auth, token = EXCLUDED.token, updated_at = now()")
                .execute(Tuple.of(s.userId(), s.deviceId(), (short) s.kind().ordinal(), s.endpoint(),
                        Buffer.buffer(s.p256dh()), Buffer.buffer(s.auth()), s.token()))
                .mapEmpty();
    }

    Future<Optional<Subscription>> find(UUID userId, int deviceId) {
        return pool.preparedQuery("SELECT kind, endpoint, p256dh, auth, token FROM push_subscriptions "
                        + "WHERE user_id = $1 AND device_id = $2")
                .execute(Tuple.of(userId, deviceId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Subscription(userId, deviceId, Subscription.Kind.values()[r.getShort(0)],
                            r.getString(1), r.getBuffer(2).getBytes(), r.getBuffer(3).getBytes(), r.getString(4)));
                });
    }

    Future<Boolean> delete(UUID userId, int deviceId) {
        return pool.preparedQuery("DELETE FROM push_subscriptions WHERE user_id = $1 AND device_id = $2")
                .execute(Tuple.of(userId, deviceId)).map(rows -> rows.rowCount() > 0);
    }

    /** Stores this key pair unless one exists, and returns the one that is stored (private, public). */
    Future<byte[][]> vapidKeys(byte[] privateKey, byte[] publicKey) {
        return pool.preparedQuery("INSERT INTO push_vapid_keys (id, private_key, public_key) VALUES (1, $1, $2) "
                        + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(privateKey), Buffer.buffer(publicKey)))
                .compose(v -> pool.query("SELECT private_key, public_key FROM push_vapid_keys WHERE id = 1").execute())
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new byte[][] {r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes()};
                });
    }
}
