package io.parley.accounts;

import io.parley.bus.Failure;
import io.parley.proto.Privacy;
import io.parley.proto.Profile;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The accounts verticle's SQL: accounts, devices, codes, contacts and blocks. Nothing else touches these tables. */
final class AccountStore {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;

    AccountStore(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    record StoredAccount(UUID userId, String username, String phone, Profile profile, Privacy privacy,
            Instant createdAt) {
    }

    record Device(int deviceId, String name, Instant createdAt) {
    }

    enum CodeCheck { OK, WRONG, EXPIRED, NONE, TOO_MANY_ATTEMPTS }

    Future<Void> saveCode(String identifier, byte[] codeHash, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO verification_codes (identifier, code_hash, expires_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (identifier) DO UPDATE SET code_hash = $2, expires_at = $3, attempts = 0")
                .execute(Tuple.of(identifier, Buffer.buffer(codeHash), utc(expiresAt))).mapEmpty();
    }

    /** Checks and, on success, consumes the identifier's code; a wrong code counts an attempt. */
    Future<CodeCheck> consumeCode(SqlConnection tx, String identifier, byte[] codeHash, int maxAttempts, Instant now) {
        return tx.preparedQuery("SELECT code_hash, expires_at, attempts FROM verification_codes WHERE identifier = $1 FOR UPDATE")
                .execute(Tuple.of(identifier)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(CodeCheck.NONE);
                    }
                    Row row = rows.iterator().next();
                    if (row.getInteger("attempts") >= maxAttempts) {
                        return Future.succeededFuture(CodeCheck.TOO_MANY_ATTEMPTS);
                    }
                    if (row.getOffsetDateTime("expires_at").toInstant().isBefore(now)) {
                        return Future.succeededFuture(CodeCheck.EXPIRED);
                    }
                    if (!java.security.MessageDigest.isEqual(row.getBuffer("code_hash").getBytes(), codeHash)) {
                        return tx.preparedQuery("UPDATE verification_codes SET attempts = attempts + 1 WHERE identifier = $1")
                                .execute(Tuple.of(identifier)).map(CodeCheck.WRONG);
                    }
                    return tx.preparedQuery("DELETE FROM verification_codes WHERE identifier = $1")
                            .execute(Tuple.of(identifier)).map(CodeCheck.OK);
                });
    }

    Future<Void> createAccount(SqlConnection tx, UUID userId, String username, String phone, byte[] phoneHash) {
        return tx.preparedQuery("INSERT INTO accounts (user_id, username, phone, phone_hash) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(userId, username, phone, phoneHash == null ? null : Buffer.buffer(phoneHash)))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(isUniqueViolation(e)
                        ? Failure.CONFLICT.exception((username != null ? "username" : "phone number") + " is already registered")
                        : e));
    }

    Future<Void> insertDevice(SqlConnection tx, UUID userId, int deviceId, String name, byte[] salt, byte[] hash) {
        return tx.preparedQuery("INSERT INTO devices (user_id, device_id, name, secret_salt, secret_hash) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(userId, deviceId, name, Buffer.buffer(salt), Buffer.buffer(hash))).mapEmpty();
    }

    /** An account as the operator sees it: identity, whether it is disabled, how many devices it has. */
    record AdminAccount(UUID userId, String username, String phone, boolean disabled, int devices, Instant createdAt) {
    }

    /** A page of accounts in user id order, after {@code after} (null: from the first), disabled ones too. */
    Future<List<AdminAccount>> adminAccounts(UUID after, int limit) {
        return pool.preparedQuery("SELECT a.user_id, a.username, a.phone, a.disabled, a.created_at, "
                        + "(SELECT count(*) FROM devices d WHERE d.user_id = a.user_id) FROM accounts a "
                        + "WHERE $1::uuid IS NULL OR a.user_id > $1 ORDER BY a.user_id LIMIT $2")
                .execute(Tuple.of(after, limit)).map(rows -> {
                    List<AdminAccount> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new AdminAccount(r.getUUID(0), r.getString(1), r.getString(2),
                            r.getBoolean(3), r.getLong(5).intValue(), r.getOffsetDateTime(4).toInstant())));
                    return out;
                });
    }

    /** Whether an account with this id exists, disabled or not. */
    Future<Boolean> accountExists(UUID userId) {
        return pool.preparedQuery("SELECT 1 FROM accounts WHERE user_id = $1").execute(Tuple.of(userId))
                .map(rows -> rows.size() > 0);
    }

    /** The user id of a username, whether or not the account is disabled. */
    Future<Optional<UUID>> userIdOf(String username) {
        return pool.preparedQuery("SELECT user_id FROM accounts WHERE username = $1").execute(Tuple.of(username))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    /** Sets the account's disabled flag; false when there is no such account. */
    Future<Boolean> setDisabled(UUID userId, boolean disabled) {
        return pool.preparedQuery("UPDATE accounts SET disabled = $2 WHERE user_id = $1")
                .execute(Tuple.of(userId, disabled)).map(rows -> rows.rowCount() > 0);
    }

    /** A device's stored credential and whether its account is disabled. */
    record Credential(byte[] salt, byte[] hash, boolean disabled) {
    }

    Future<Optional<Credential>> credential(UUID userId, int deviceId) {
        return pool.preparedQuery("SELECT d.secret_salt, d.secret_hash, a.disabled FROM devices d JOIN accounts a "
                        + "USING (user_id) WHERE d.user_id = $1 AND d.device_id = $2")
                .execute(Tuple.of(userId, deviceId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Credential(
                        rows.iterator().next().getBuffer(0).getBytes(), rows.iterator().next().getBuffer(1).getBytes(),
                        rows.iterator().next().getBoolean(2))));
    }

    Future<List<Device>> devices(UUID userId) {
        return pool.preparedQuery("SELECT device_id, name, created_at FROM devices WHERE user_id = $1 ORDER BY device_id")
                .execute(Tuple.of(userId)).map(rows -> {
                    List<Device> devices = new ArrayList<>();
                    rows.forEach(r -> devices.add(new Device(r.getInteger(0), r.getString(1), r.getOffsetDateTime(2).toInstant())));
                    return devices;
                });
    }

    /** Current device ids of each user, for send checks; users without devices are absent. */
    Future<RowSet<Row>> deviceIds(List<UUID> userIds) {
        return pool.preparedQuery("SELECT user_id, array_agg(device_id ORDER BY device_id) FROM devices "
                + "WHERE user_id = ANY($1) GROUP BY user_id").execute(Tuple.of(userIds.toArray(UUID[]::new)));
    }

    Future<Boolean> deleteDevice(UUID userId, int deviceId) {
        return pool.preparedQuery("DELETE FROM devices WHERE user_id = $1 AND device_id = $2")
                .execute(Tuple.of(userId, deviceId)).map(r -> r.rowCount() == 1);
    }

    Future<Void> saveLinkCode(byte[] codeHash, UUID userId, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO link_codes (code_hash, user_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(Buffer.buffer(codeHash), userId, utc(expiresAt))).mapEmpty();
    }

    /** Marks a link code used and returns its account; 404 unknown, 410 expired or used already. */
    Future<UUID> redeemLinkCode(SqlConnection tx, byte[] codeHash, Instant now) {
        return tx.preparedQuery("SELECT user_id, expires_at, used_at FROM link_codes WHERE code_hash = $1 FOR UPDATE")
                .execute(Tuple.of(Buffer.buffer(codeHash))).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(Failure.NOT_FOUND.exception("no such provisioning code"));
                    }
                    Row row = rows.iterator().next();
                    if (row.getValue("used_at") != null) {
                        return Future.failedFuture(Failure.GONE.exception("provisioning code was used already"));
                    }
                    if (row.getOffsetDateTime("expires_at").toInstant().isBefore(now)) {
                        return Future.failedFuture(Failure.GONE.exception("provisioning code has expired"));
                    }
                    return tx.preparedQuery("UPDATE link_codes SET used_at = now() WHERE code_hash = $1")
                            .execute(Tuple.of(Buffer.buffer(codeHash))).map(row.getUUID("user_id"));
                });
    }

    /** Locks the account and returns (linked device count, next device id), advancing the id. */
    Future<int[]> reserveLinkedDevice(SqlConnection tx, UUID userId) {
        return tx.preparedQuery("UPDATE accounts SET next_device_id = next_device_id + 1 WHERE user_id = $1 "
                        + "RETURNING next_device_id - 1, (SELECT count(*) FROM devices WHERE user_id = $1 AND device_id <> 1)")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new int[] {r.getLong(1).intValue(), r.getInteger(0)};
                });
    }

    Future<Integer> deleteExpiredCodes(Instant now) {
        return pool.preparedQuery("WITH a AS (DELETE FROM link_codes WHERE expires_at < $1 RETURNING 1), "
                        + "b AS (DELETE FROM verification_codes WHERE expires_at < $1 RETURNING 1) "
                        + "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)")
                .execute(Tuple.of(utc(now))).map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    Future<Optional<StoredAccount>> account(UUID userId) {
        return findAccount("user_id = $1", userId);
    }

    Future<Optional<StoredAccount>> accountByUsername(String username) {
        return findAccount("username = $1", username);
    }

    Future<Optional<StoredAccount>> accountByPhone(String phone) {
        return findAccount("phone = $1", phone);
    }

    private Future<Optional<StoredAccount>> findAccount(String condition, Object value) {
        return pool.preparedQuery("SELECT user_id, username, phone, display_name, about, avatar_ref, last_seen_audience, "
                        + "read_receipts_off, created_at FROM accounts WHERE NOT disabled AND " + condition)
                .execute(Tuple.of(value)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new StoredAccount(r.getUUID(0), nullToEmpty(r.getString(1)), nullToEmpty(r.getString(2)),
                            Profile.newBuilder().setDisplayName(r.getString(3)).setAbout(r.getString(4))
                                    .setAvatarRef(r.getString(5)).build(),
                            Privacy.newBuilder().setLastSeenValue(r.getShort(6)).setReadReceiptsOff(r.getBoolean(7)).build(),
                            r.getOffsetDateTime(8).toInstant()));
                });
    }

    Future<Void> updateProfile(UUID userId, Profile profile) {
        return pool.preparedQuery("UPDATE accounts SET display_name = $2, about = $3, avatar_ref = $4 WHERE user_id = $1")
                .execute(Tuple.of(userId, profile.getDisplayName(), profile.getAbout(), profile.getAvatarRef())).mapEmpty();
    }

    Future<Void> updatePrivacy(UUID userId, Privacy privacy) {
        return pool.preparedQuery("UPDATE accounts SET last_seen_audience = $2, read_receipts_off = $3 WHERE user_id = $1")
                .execute(Tuple.of(userId, (short) privacy.getLastSeenValue(), privacy.getReadReceiptsOff())).mapEmpty();
    }

    Future<Void> addContact(UUID owner, UUID contact) {
        return pool.preparedQuery("INSERT INTO contacts (owner_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(owner, contact)).mapEmpty();
    }

    Future<Void> removeContact(UUID owner, UUID contact) {
        return pool.preparedQuery("DELETE FROM contacts WHERE owner_id = $1 AND contact_id = $2")
                .execute(Tuple.of(owner, contact)).mapEmpty();
    }

    Future<RowSet<Row>> contacts(UUID owner) {
        return pool.preparedQuery("SELECT a.user_id, a.username, a.display_name FROM contacts c "
                + "JOIN accounts a ON a.user_id = c.contact_id WHERE c.owner_id = $1 ORDER BY c.added_at")
                .execute(Tuple.of(owner));
    }

    Future<RowSet<Row>> discover(List<byte[]> phoneHashes) {
        Buffer[] hashes = phoneHashes.stream().map(Buffer::buffer).toArray(Buffer[]::new);
        return pool.preparedQuery("SELECT phone_hash, user_id FROM accounts WHERE phone_hash = ANY($1) AND NOT disabled")
                .execute(Tuple.of(hashes));
    }

    Future<Void> block(UUID blocker, UUID blocked) {
        return pool.preparedQuery("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(blocker, blocked)).mapEmpty();
    }

    Future<Void> unblock(UUID blocker, UUID blocked) {
        return pool.preparedQuery("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
                .execute(Tuple.of(blocker, blocked)).mapEmpty();
    }

    Future<List<UUID>> blocked(UUID blocker) {
        return pool.preparedQuery("SELECT blocked_id FROM blocks WHERE blocker_id = $1 ORDER BY blocked_at")
                .execute(Tuple.of(blocker)).map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    /** One query for what a send or subscription from `from` to `to` must know. */
    Future<Optional<Row>> relation(UUID from, UUID to) {
        return pool.preparedQuery("SELECT a.last_seen_audience, a.read_receipts_off, "
                        + "EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1), "
                        + "EXISTS (SELECT 1 FROM contacts WHERE owner_id = $2 AND contact_id = $1) "
                        + "FROM accounts a WHERE a.user_id = $2 AND NOT a.disabled")
                .execute(Tuple.of(from, to))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
    }

    /** Everything a send from `from` to `to` checks, in one round trip; empty when `to` does not exist. */
    Future<Optional<Row>> sendCheck(UUID from, UUID to) {
        return pool.preparedQuery("SELECT a.read_receipts_off, "
                        + "EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1), "
                        + "(SELECT array_agg(device_id ORDER BY device_id) FROM devices WHERE user_id = $2), "
                        + "(SELECT array_agg(device_id ORDER BY device_id) FROM devices WHERE user_id = $1), "
                        + "(SELECT read_receipts_off FROM accounts WHERE user_id = $1) "
                        + "FROM accounts a WHERE a.user_id = $2 AND NOT a.disabled")
                .execute(Tuple.of(from, to))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
