package io.parley.keys;

import com.google.protobuf.ByteString;
import io.parley.proto.EcPreKey;
import io.parley.proto.SignedPreKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** All SQL of the keys verticle (tables of V10__keys.sql). */
final class KeyStore {
    /** A device's long-lived keys as stored. */
    record DeviceKeys(int deviceId, int registrationId, ByteString identityKey, SignedPreKey signedPreKey,
            SignedPreKey lastResort) {
    }

    /** How many one-time keys of each kind a device has left. */
    record Counts(int ec, int kyber) {
    }

    private static final String CLAIM_EC = "WITH picked AS (SELECT k.device_id, k.key_id FROM unnest($2::int[]) AS d(id) "
            + "CROSS JOIN LATERAL (SELECT device_id, key_id FROM key_one_time_ec WHERE user_id = $1 AND device_id = d.id "
            + "ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) k) "
            + "DELETE FROM key_one_time_ec e USING picked p WHERE e.user_id = $1 AND e.device_id = p.device_id "
            + "AND e.key_id = p.key_id RETURNING e.device_id, e.key_id, e.public_key";
    private static final String CLAIM_KYBER = "WITH picked AS (SELECT k.device_id, k.key_id FROM unnest($2::int[]) AS d(id) "
            + "CROSS JOIN LATERAL (SELECT device_id, key_id FROM key_one_time_kyber WHERE user_id = $1 AND device_id = d.id "
            + "ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) k) "
            + "DELETE FROM key_one_time_kyber e USING picked p WHERE e.user_id = $1 AND e.device_id = p.device_id "
            + "AND e.key_id = p.key_id RETURNING e.device_id, e.key_id, e.public_key, e.signature";

    private final Pool pool;

    KeyStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** The device's row, locked for the rest of the transaction. */
    Future<Optional<DeviceKeys>> lockDevice(SqlClient tx, UUID user, int device) {
        return tx.preparedQuery("SELECT * FROM key_devices WHERE user_id = $1 AND device_id = $2 FOR UPDATE")
                .execute(Tuple.of(user, device))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(deviceKeys(rows.iterator().next())));
    }

    Future<Void> insertDevice(SqlClient tx, UUID user, int device, int registrationId, ByteString identity,
            SignedPreKey signed, SignedPreKey lastResort) {
        return tx.preparedQuery("INSERT INTO key_devices (user_id, device_id, registration_id, identity_key, "
                        + "signed_pre_key_id, signed_pre_key, signed_pre_key_signature, last_resort_id, last_resort_key, "
                        + "last_resort_signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.from(new Object[] {user, device, registrationId, bytes(identity), signed.getKeyId(),
                        bytes(signed.getPublicKey()), bytes(signed.getSignature()), lastResort.getKeyId(),
                        bytes(lastResort.getPublicKey()), bytes(lastResort.getSignature())}))
                .mapEmpty();
    }

    /** Replaces what the upload carries; absent parts (null) keep their stored value. */
    Future<Void> updateDevice(SqlClient tx, UUID user, int device, int registrationId, SignedPreKey signed,
            SignedPreKey lastResort) {
        return tx.preparedQuery("UPDATE key_devices SET registration_id = CASE WHEN $3 > 0 THEN $3 ELSE registration_id END, "
                        + "signed_pre_key_id = COALESCE($4, signed_pre_key_id), signed_pre_key = COALESCE($5, signed_pre_key), "
                        + "signed_pre_key_signature = COALESCE($6, signed_pre_key_signature), "
                        + "last_resort_id = COALESCE($7, last_resort_id), last_resort_key = COALESCE($8, last_resort_key), "
                        + "last_resort_signature = COALESCE($9, last_resort_signature), updated_at = now() "
                        + "WHERE user_id = $1 AND device_id = $2")
                .execute(Tuple.from(new Object[] {user, device, registrationId,
                        signed == null ? null : signed.getKeyId(), signed == null ? null : bytes(signed.getPublicKey()),
                        signed == null ? null : bytes(signed.getSignature()),
                        lastResort == null ? null : lastResort.getKeyId(),
                        lastResort == null ? null : bytes(lastResort.getPublicKey()),
                        lastResort == null ? null : bytes(lastResort.getSignature())}))
                .mapEmpty();
    }

    /** Adds one-time keys; a key id uploaded again replaces the stored key (the device's store has the new one). */
    Future<Void> addKeys(SqlClient tx, UUID user, int device, List<EcPreKey> ec, List<SignedPreKey> kyber) {
        Future<Void> ecDone = ec.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                        "INSERT INTO key_one_time_ec (user_id, device_id, key_id, public_key) "
                                + "SELECT $1::uuid, $2::int, * FROM unnest($3::int[], $4::bytea[]) "
                                + "ON CONFLICT (user_id, device_id, key_id) DO UPDATE SET public_key = EXCLUDED.public_key")
                .execute(Tuple.of(user, device, ec.stream().map(EcPreKey::getKeyId).toArray(Integer[]::new),
                        ec.stream().map(k -> bytes(k.getPublicKey())).toArray(io.vertx.core.buffer.Buffer[]::new)))
                .mapEmpty();
        return ecDone.compose(v -> kyber.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(
                        "INSERT INTO key_one_time_kyber (user_id, device_id, key_id, public_key, signature) "
                                + "SELECT $1::uuid, $2::int, * FROM unnest($3::int[], $4::bytea[], $5::bytea[]) "
                                + "ON CONFLICT (user_id, device_id, key_id) DO UPDATE SET public_key = EXCLUDED.public_key, "
                                + "signature = EXCLUDED.signature")
                .execute(Tuple.of(user, device, kyber.stream().map(SignedPreKey::getKeyId).toArray(Integer[]::new),
                        kyber.stream().map(k -> bytes(k.getPublicKey())).toArray(io.vertx.core.buffer.Buffer[]::new),
                        kyber.stream().map(k -> bytes(k.getSignature())).toArray(io.vertx.core.buffer.Buffer[]::new)))
                .mapEmpty());
    }

    Future<Counts> counts(SqlClient client, UUID user, int device) {
        return counts(client, user, List.of(device)).map(all -> all.getOrDefault(device, new Counts(0, 0)));
    }

    Future<Map<Integer, Counts>> counts(SqlClient client, UUID user, List<Integer> devices) {
        return client.preparedQuery("SELECT d.id, (SELECT count(*) FROM key_one_time_ec WHERE user_id = $1 AND device_id = d.id), "
                        + "(SELECT count(*) FROM key_one_time_kyber WHERE user_id = $1 AND device_id = d.id) "
                        + "FROM unnest($2::int[]) AS d(id)")
                .execute(Tuple.tuple().addValue(user).addValue(devices.toArray(Integer[]::new)))
                .map(rows -> {
                    Map<Integer, Counts> counts = new HashMap<>();
                    rows.forEach(r -> counts.put(r.getInteger(0), new Counts(r.getLong(1).intValue(), r.getLong(2).intValue())));
                    return counts;
                });
    }

    /** Drops every key of a device: it was removed, or it re-registers its identity. */
    Future<Void> deleteDevice(SqlClient client, UUID user, int device) {
        Tuple key = Tuple.of(user, device);
        return client.preparedQuery("DELETE FROM key_one_time_ec WHERE user_id = $1 AND device_id = $2").execute(key)
                .compose(r -> client.preparedQuery("DELETE FROM key_one_time_kyber WHERE user_id = $1 AND device_id = $2")
                        .execute(key))
                .compose(r -> client.preparedQuery("DELETE FROM key_devices WHERE user_id = $1 AND device_id = $2")
                        .execute(key))
                .mapEmpty();
    }

    Future<List<DeviceKeys>> devices(UUID user, List<Integer> devices) {
        return pool.preparedQuery("SELECT * FROM key_devices WHERE user_id = $1 AND device_id = ANY($2::int[]) ORDER BY device_id")
                .execute(Tuple.tuple().addValue(user).addValue(devices.toArray(Integer[]::new)))
                .map(rows -> {
                    List<DeviceKeys> found = new ArrayList<>();
                    rows.forEach(r -> found.add(deviceKeys(r)));
                    return found;
                });
    }

    /** Takes (deletes and returns) one one-time EC key per device, each going to this caller only. */
    Future<Map<Integer, EcPreKey>> claimEc(UUID user, List<Integer> devices) {
        return pool.preparedQuery(CLAIM_EC).execute(Tuple.tuple().addValue(user).addValue(devices.toArray(Integer[]::new))).map(rows -> {
            Map<Integer, EcPreKey> claimed = new HashMap<>();
            rows.forEach(r -> claimed.put(r.getInteger(0), EcPreKey.newBuilder().setKeyId(r.getInteger(1))
                    .setPublicKey(ByteString.copyFrom(r.getBuffer(2).getBytes())).build()));
            return claimed;
        });
    }

    /** Takes one one-time Kyber key per device, like {@link #claimEc}. */
    Future<Map<Integer, SignedPreKey>> claimKyber(UUID user, List<Integer> devices) {
        return pool.preparedQuery(CLAIM_KYBER).execute(Tuple.tuple().addValue(user).addValue(devices.toArray(Integer[]::new))).map(rows -> {
            Map<Integer, SignedPreKey> claimed = new HashMap<>();
            rows.forEach(r -> claimed.put(r.getInteger(0), SignedPreKey.newBuilder().setKeyId(r.getInteger(1))
                    .setPublicKey(ByteString.copyFrom(r.getBuffer(2).getBytes()))
                    .setSignature(ByteString.copyFrom(r.getBuffer(3).getBytes())).build()));
            return claimed;
        });
    }

    private static DeviceKeys deviceKeys(Row r) {
        return new DeviceKeys(r.getInteger("device_id"), r.getInteger("registration_id"),
                ByteString.copyFrom(r.getBuffer("identity_key").getBytes()),
                SignedPreKey.newBuilder().setKeyId(r.getInteger("signed_pre_key_id"))
                        .setPublicKey(ByteString.copyFrom(r.getBuffer("signed_pre_key").getBytes()))
                        .setSignature(ByteString.copyFrom(r.getBuffer("signed_pre_key_signature").getBytes())).build(),
                SignedPreKey.newBuilder().setKeyId(r.getInteger("last_resort_id"))
                        .setPublicKey(ByteString.copyFrom(r.getBuffer("last_resort_key").getBytes()))
                        .setSignature(ByteString.copyFrom(r.getBuffer("last_resort_signature").getBytes())).build());
    }

    private static io.vertx.core.buffer.Buffer bytes(ByteString bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes.toByteArray());
    }
}
