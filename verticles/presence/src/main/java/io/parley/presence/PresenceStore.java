package io.parley.presence;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Presence state in Redis, all of it with TTLs. Per user (one hash tag, so a user's keys share a
 * cluster slot): {@code parley:presence:{U}:devices}, a sorted set of online devices scored by when
 * their entry expires; {@code :seen}, the last-seen time; {@code :subs}, the subscribed devices
 * ("user/device") scored by when the subscription ends. One index, {@code parley:presence:expiry},
 * lists every online entry ("user/device") by expiry for the sweep. Transitions are Lua scripts, so
 * when several presence instances handle the same event only one of them sees the change.
 */
final class PresenceStore {
    private static final String INDEX = "parley:presence:expiry";
    /** Held by the presence instance that sweeps this interval; the others skip it. */
    private static final String SWEEP_LOCK = "parley:presence:sweep-lock";
    /** How long the claim on a departed node's pass is kept (a node id is never reused). */
    private static final int NODE_LEFT_CLAIM_SECONDS = 3600;
    /** Nodes that left the cluster and whose devices a pass has not checked yet. */
    private static final String DEPARTED = "parley:presence:departed";
    /** Last seen is kept this long after the user was last online. */
    private static final long SEEN_TTL_SECONDS = 400L * 24 * 3600;

    /** Returns 1 when the user had no live device before (came online), else 0. */
    private static final String CONNECT = """
            local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
            local live = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf')
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            if old and tonumber(old) > tonumber(ARGV[2]) then return 0 end
            if live == 0 then return 1 end
            return 0""";

    /**
     * Removes the device (only if its entry still has the expected expiry, when one is given);
     * returns 1 when no live device is left (went offline, last seen recorded), 0 when others are,
     * -1 when there was nothing to remove.
     */
    private static final String DISCONNECT = """
            local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not old then return -1 end
            if ARGV[3] ~= '' and tonumber(old) ~= tonumber(ARGV[3]) then return -1 end
            redis.call('ZREM', KEYS[1], ARGV[1])
            if redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf') == 0 then
              redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
              return 1
            end
            return 0""";

    /** Extends a device's entry if it is still there; returns 1 if it was. */
    private static final String RENEW = """
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return 1""";

    /** Index entries expiring before ARGV[1], with their expiry, flattened: member, score, ... */
    private static final String DUE = "return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])";

    /** A user's presence as stored: live devices and last seen (0: never). */
    record State(boolean online, long lastSeenMs) {
    }

    /** An online entry due for renewal or removal. */
    record Due(UUID userId, int deviceId, long expiresAt) {
    }

    /** A device subscribed to a user's presence. */
    record Subscriber(UUID userId, int deviceId) {
    }

    private final Redis redis;
    private final PresenceConfig config;

    PresenceStore(Redis redis, PresenceConfig config) {
        this.redis = redis;
        this.config = config;
    }

    static String devicesKey(UUID user) {
        return "parley:presence:{" + user + "}:devices";
    }

    static String seenKey(UUID user) {
        return "parley:presence:{" + user + "}:seen";
    }

    static String subsKey(UUID user) {
        return "parley:presence:{" + user + "}:subs";
    }

    private static String member(UUID user, int device) {
        return user + "/" + device;
    }

    private long onlineTtlSeconds() {
        return Math.max(1, config.onlineTtl().toSeconds());
    }

    /** Marks the device online; true when the user came online with it. */
    Future<Boolean> connect(UUID user, int device, long now) {
        long expiresAt = now + config.onlineTtl().toMillis();
        return redis.send(Request.cmd(Command.EVAL).arg(CONNECT).arg(1).arg(devicesKey(user)).arg(device).arg(now)
                        .arg(expiresAt).arg(onlineTtlSeconds() * 2))
                .compose(came -> redis.send(Request.cmd(Command.ZADD).arg(INDEX).arg(expiresAt).arg(member(user, device)))
                        .map(came.toInteger() == 1));
    }

    /**
     * Marks the device offline; true when it was the user's last live device. {@code expected}
     * (0: any) guards the sweep against removing an entry a new connection has just renewed.
     */
    Future<Boolean> disconnect(UUID user, int device, long now, long expected) {
        return redis.send(Request.cmd(Command.EVAL).arg(DISCONNECT).arg(2).arg(devicesKey(user)).arg(seenKey(user))
                        .arg(device).arg(now).arg(expected == 0 ? "" : String.valueOf(expected)).arg(SEEN_TTL_SECONDS))
                .compose(result -> {
                    int outcome = result.toInteger();
                    if (outcome == -1 && expected != 0) {
                        return Future.succeededFuture(false);
                    }
                    return redis.send(Request.cmd(Command.ZREM).arg(INDEX).arg(member(user, device))).map(outcome == 1);
                });
    }

    /** Whether the device has an online entry (live or not yet swept). */
    Future<Boolean> present(UUID user, int device) {
        return redis.send(Request.cmd(Command.ZSCORE).arg(devicesKey(user)).arg(device)).map(score -> score != null);
    }

    /** Extends a device's online entry (its route still exists); false when it was gone meanwhile. */
    Future<Boolean> renew(UUID user, int device, long now) {
        long expiresAt = now + config.onlineTtl().toMillis();
        return redis.send(Request.cmd(Command.EVAL).arg(RENEW).arg(1).arg(devicesKey(user)).arg(device).arg(expiresAt)
                        .arg(onlineTtlSeconds() * 2))
                .compose(renewed -> {
                    Request index = renewed.toInteger() == 1
                            ? Request.cmd(Command.ZADD).arg(INDEX).arg(expiresAt).arg(member(user, device))
                            : Request.cmd(Command.ZREM).arg(INDEX).arg(member(user, device));
                    return redis.send(index).map(renewed.toInteger() == 1);
                });
    }

    /** True for one caller per interval across every presence instance: that one sweeps. */
    Future<Boolean> claimSweep(long intervalMs) {
        return redis.send(Request.cmd(Command.SET).arg(SWEEP_LOCK).arg(UUID.randomUUID().toString()).arg("NX")
                .arg("PX").arg(Math.max(1, intervalMs - intervalMs / 10))).map(reply -> reply != null);
    }

    /** Puts a node that left the cluster on the list of those whose devices are still to be checked. */
    Future<Void> markDeparted(String nodeId) {
        return redis.send(Request.cmd(Command.SADD).arg(DEPARTED).arg(nodeId)).mapEmpty();
    }

    /** The departed nodes whose devices are still to be checked. */
    Future<List<String>> departed() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(DEPARTED))
                .map(members -> members.stream().map(Object::toString).toList());
    }

    /** Takes these nodes off the list: a pass over every online entry ran after they left. */
    Future<Void> settleDeparted(List<String> nodeIds) {
        Request srem = Request.cmd(Command.SREM).arg(DEPARTED);
        nodeIds.forEach(srem::arg);
        return redis.send(srem).mapEmpty();
    }

    /** True for the one presence instance that handles a node's departure. */
    Future<Boolean> claimNodeLeft(String nodeId) {
        return redis.send(Request.cmd(Command.SET).arg("parley:presence:node-left:" + nodeId).arg("1").arg("NX")
                .arg("EX").arg(NODE_LEFT_CLAIM_SECONDS)).map(reply -> reply != null);
    }

    /** Up to {@code limit} online entries expiring before {@code before}, oldest first. */
    Future<List<Due>> due(long before, int limit) {
        return redis.send(Request.cmd(Command.EVAL).arg(DUE).arg(1).arg(INDEX).arg(before).arg(limit)).map(flat -> {
            List<Due> due = new ArrayList<>(flat.size() / 2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String member = flat.get(i).toString();
                int slash = member.indexOf('/');
                due.add(new Due(UUID.fromString(member.substring(0, slash)), Integer.parseInt(member.substring(slash + 1)),
                        (long) Double.parseDouble(flat.get(i + 1).toString())));
            }
            return due;
        });
    }

    Future<State> state(UUID user, long now) {
        return redis.batch(List.of(Request.cmd(Command.ZCOUNT).arg(devicesKey(user)).arg("(" + now).arg("+inf"),
                        Request.cmd(Command.GET).arg(seenKey(user))))
                .map(replies -> new State(replies.get(0).toLong() > 0, replies.get(1) == null ? 0 : replies.get(1).toLong()));
    }

    /** Subscribes the device to the target's changes until now + subscriptionTtl (renewing an older subscription). */
    Future<Void> subscribe(UUID target, UUID subscriber, int device, long now) {
        long ttl = config.subscriptionTtl().toMillis();
        return redis.batch(List.of(
                        Request.cmd(Command.ZADD).arg(subsKey(target)).arg(now + ttl).arg(member(subscriber, device)),
                        Request.cmd(Command.ZREMRANGEBYSCORE).arg(subsKey(target)).arg("-inf").arg(now),
                        Request.cmd(Command.EXPIRE).arg(subsKey(target)).arg(Math.max(1, config.subscriptionTtl().toSeconds()))))
                .mapEmpty();
    }

    /** The devices subscribed to the target now, at most {@code limit}: (user, device) pairs. */
    Future<List<Subscriber>> subscribers(UUID target, long now, int limit) {
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(subsKey(target)).arg("(" + now).arg("+inf")
                .arg("LIMIT").arg(0).arg(limit)).map(members -> {
                    List<Subscriber> subs = new ArrayList<>(members.size());
                    for (Response m : members) {
                        String s = m.toString();
                        int slash = s.indexOf('/');
                        subs.add(new Subscriber(UUID.fromString(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1))));
                    }
                    return subs;
                });
    }
}
