package io.parley.calls;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Live call state in Redis, shared by every calls instance on every node, so a call works whatever
 * node its devices are on. Keys (one hash tag, {@code {calls}}, so the scripts' keys share a slot):
 * {@code parley:{calls}:call:C} (hash: the call), {@code :call:C:members} (group: "user/device" →
 * joined at), {@code :call:C:invited} and {@code :call:C:joined} (group: invited users, users who
 * ever joined), {@code :call:C:rung} (devices rung after connecting), {@code parley:{calls}:user:U}
 * (the call a user is in or is rung for: busy), {@code parley:{calls}:ringing} (1:1 calls by ring
 * deadline) and {@code parley:{calls}:gone} (devices of calls that disconnected, by reconnect deadline). Every transition is a Lua script, so of several instances handling the same end exactly
 * one sees it succeed and does the follow-ups. Every key expires after {@link #CALL_TTL_SECONDS}.
 */
final class CallStore {
    /** A call's keys outlive any real call; they only bound what a lost end would leave behind. */
    static final long CALL_TTL_SECONDS = 12 * 3600;
    private static final String PREFIX = "parley:{calls}:";
    private static final String RINGING = PREFIX + "ringing";
    /** Devices of calls that disconnected, by when they must be back: "call|user|device|connection" → due. */
    private static final String GONE = PREFIX + "gone";
    private static final String HGETALL = "return redis.call('HGETALL', KEYS[1])";

    /** KEYS: call, caller's user key, callee's user key, ringing. Returns caller-busy, busy or ok. */
    private static final String OFFER = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 'caller-busy' end
            if redis.call('EXISTS', KEYS[3]) == 1 then return 'busy' end
            redis.call('HSET', KEYS[1], 'group', '0', 'caller', ARGV[2], 'callerDevice', ARGV[3], 'callee', ARGV[4],
              'video', ARGV[5], 'state', 'ringing', 'startedAt', ARGV[6], 'ringUntil', ARGV[7])
            redis.call('EXPIRE', KEYS[1], ARGV[8])
            redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[8])
            redis.call('SET', KEYS[3], ARGV[1], 'EX', ARGV[8])
            redis.call('ZADD', KEYS[4], ARGV[7], ARGV[1])
            return 'ok'""";

    /** KEYS: call, ringing. ARGV: id, user, device, now. Returns gone, group, forbidden, answered or ok. */
    private static final String ACCEPT = """
            local c = redis.call('HMGET', KEYS[1], 'state', 'callee', 'group')
            if not c[1] then return 'gone' end
            if c[3] == '1' then return 'group' end
            if c[2] ~= ARGV[2] then return 'forbidden' end
            if c[1] ~= 'ringing' then return 'answered' end
            redis.call('HSET', KEYS[1], 'state', 'active', 'answeredAt', ARGV[4], 'answeredDevice', ARGV[3])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 'ok'""";

    /**
     * Ends a 1:1 call if it is still in the expected state (ARGV[2]; and, for a time-out, its ring
     * deadline is before ARGV[3]). KEYS: call, rung, ringing, caller's user key, callee's user key.
     * Returns 1 to the one caller that ended it.
     */
    private static final String END = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then redis.call('ZREM', KEYS[3], ARGV[1]) return 0 end
            if ARGV[2] ~= '' and state ~= ARGV[2] then return 0 end
            if ARGV[3] ~= '' and tonumber(redis.call('HGET', KEYS[1], 'ringUntil')) > tonumber(ARGV[3]) then return 0 end
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('ZREM', KEYS[3], ARGV[1])
            for i = 4, 5 do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
            end
            return 1""";

    /** KEYS: call, members, invited, joined, caller's user key. Returns 1, or 0 when the caller is in a call. */
    private static final String GROUP_START = """
            if redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'group', '1', 'caller', ARGV[2], 'callerDevice', ARGV[3], 'video', ARGV[4],
              'state', 'active', 'startedAt', ARGV[5], 'ringUntil', ARGV[6])
            redis.call('HSET', KEYS[2], ARGV[2] .. '/' .. ARGV[3], ARGV[5])
            redis.call('SADD', KEYS[3], ARGV[2], unpack(ARGV, 8))
            redis.call('SADD', KEYS[4], ARGV[2])
            redis.call('SET', KEYS[5], ARGV[1], 'EX', ARGV[7])
            for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[7]) end
            return 1""";

    /**
     * KEYS: call, members, invited, joined, user key. ARGV: id, user, device, now, max, ttl.
     * Returns gone, not-group, forbidden, already, full, busy or ok.
     */
    private static final String GROUP_JOIN = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
            if redis.call('HGET', KEYS[1], 'group') ~= '1' then return 'not-group' end
            if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 0 then return 'forbidden' end
            local members = redis.call('HKEYS', KEYS[2])
            local prefix = ARGV[2] .. '/'
            for _, m in ipairs(members) do
              if string.sub(m, 1, #prefix) == prefix then return 'already' end
            end
            if #members >= tonumber(ARGV[5]) then return 'full' end
            local current = redis.call('GET', KEYS[5])
            if current and current ~= ARGV[1] then return 'busy' end
            redis.call('SET', KEYS[5], ARGV[1], 'EX', ARGV[6])
            redis.call('HSET', KEYS[2], prefix .. ARGV[3], ARGV[4])
            redis.call('SADD', KEYS[4], ARGV[2])
            return 'ok'""";

    /**
     * KEYS: call, members, invited, joined, user key. ARGV: id, "user/device". Returns {} when the
     * device was not in the call, else {joinedAt, remaining, invitees who never joined when the call
     * ended with this leave...}.
     */
    private static final String GROUP_LEAVE = """
            local joined = redis.call('HGET', KEYS[2], ARGV[2])
            if not joined then return {} end
            redis.call('HDEL', KEYS[2], ARGV[2])
            if redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end
            local remaining = redis.call('HLEN', KEYS[2])
            local result = {joined, tostring(remaining)}
            if remaining == 0 then
              for _, u in ipairs(redis.call('SDIFF', KEYS[3], KEYS[4])) do table.insert(result, u) end
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
            end
            return result""";

    enum OfferResult { OK, BUSY, CALLER_BUSY }

    enum AcceptResult { OK, GONE, GROUP, FORBIDDEN, ANSWERED }

    enum JoinResult { OK, GONE, NOT_GROUP, FORBIDDEN, ALREADY, FULL, BUSY }

    /** A device's leave of a group call: when it joined, who is left, and (if it ended) who never came. */
    record Left(long joinedAt, int remaining, List<UUID> neverJoined) {
    }

    private final Redis redis;

    CallStore(Redis redis) {
        this.redis = redis;
    }

    private static String callKey(UUID call) {
        return PREFIX + "call:" + call;
    }

    private static String userKey(UUID user) {
        return PREFIX + "user:" + user;
    }

    static String member(UUID user, int device) {
        return user + "/" + device;
    }

    Future<OfferResult> offer(Call call) {
        return redis.send(Request.cmd(Command.EVAL).arg(OFFER).arg(4).arg(callKey(call.id())).arg(userKey(call.caller()))
                        .arg(userKey(call.callee())).arg(RINGING).arg(call.id().toString()).arg(call.caller().toString())
                        .arg(call.callerDevice()).arg(call.callee().toString()).arg(call.video() ? "1" : "0")
                        .arg(call.startedAt()).arg(call.ringUntil()).arg(CALL_TTL_SECONDS))
                .map(r -> switch (r.toString()) {
                    case "ok" -> OfferResult.OK;
                    case "busy" -> OfferResult.BUSY;
                    default -> OfferResult.CALLER_BUSY;
                });
    }

    Future<Optional<Call>> get(UUID id) {
        return hashOf(callKey(id)).map(flat -> flat.isEmpty() ? Optional.empty() : Optional.of(Call.of(id, flat)));
    }

    /**
     * A hash as a flat field, value, ... list. Through a script: Lua hands back a flat array whatever
     * protocol (RESP2 or RESP3) the connection speaks.
     */
    private Future<List<String>> hashOf(String key) {
        return redis.send(Request.cmd(Command.EVAL).arg(HGETALL).arg(1).arg(key)).map(r -> {
            List<String> flat = new ArrayList<>();
            if (r != null) {
                r.forEach(item -> flat.add(item.toString()));
            }
            return flat;
        });
    }

    /** The call this user is in or rung for, if any. */
    Future<Optional<UUID>> callOf(UUID user) {
        return redis.send(Request.cmd(Command.GET).arg(userKey(user)))
                .map(r -> r == null ? Optional.<UUID>empty() : Optional.of(UUID.fromString(r.toString())));
    }

    Future<AcceptResult> accept(UUID id, UUID user, int device, long now) {
        return redis.send(Request.cmd(Command.EVAL).arg(ACCEPT).arg(2).arg(callKey(id)).arg(RINGING).arg(id.toString())
                        .arg(user.toString()).arg(device).arg(now))
                .map(r -> AcceptResult.valueOf(r.toString().toUpperCase()));
    }

    /** Ends the 1:1 call if it is still ringing (or active, as {@code ringing} says); true for the one that did. */
    Future<Boolean> end(Call call, boolean ringing, long dueBefore) {
        return redis.send(Request.cmd(Command.EVAL).arg(END).arg(5).arg(callKey(call.id())).arg(callKey(call.id()) + ":rung")
                        .arg(RINGING).arg(userKey(call.caller())).arg(userKey(call.callee())).arg(call.id().toString())
                        .arg(ringing ? Call.RINGING : Call.ACTIVE).arg(dueBefore > 0 ? String.valueOf(dueBefore) : ""))
                .map(r -> r.toInteger() == 1);
    }

    /** Drops a ring deadline whose call is gone (its keys expired). */
    Future<Void> forget(UUID id) {
        return redis.send(Request.cmd(Command.ZREM).arg(RINGING).arg(id.toString())).mapEmpty();
    }

    /** 1:1 calls whose ring deadline passed before {@code now}, at most {@code limit}. */
    Future<List<UUID>> due(long now, int limit) {
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(RINGING).arg("-inf").arg(now).arg("LIMIT").arg(0)
                .arg(limit)).map(r -> {
                    List<UUID> ids = new ArrayList<>(r.size());
                    r.forEach(item -> ids.add(UUID.fromString(item.toString())));
                    return ids;
                });
    }

    /** True the first time this connection of a device is rung for the call (several instances see each connect). */
    Future<Boolean> markRung(UUID id, UUID user, int device, String connectionId) {
        String key = callKey(id) + ":rung";
        return redis.batch(List.of(Request.cmd(Command.SADD).arg(key).arg(member(user, device) + "/" + connectionId),
                        Request.cmd(Command.EXPIRE).arg(key).arg(CALL_TTL_SECONDS)))
                .map(replies -> replies.get(0).toInteger() == 1);
    }

    /** True the first time the caller is told that a callee device rings. */
    Future<Boolean> markCallerToldRinging(UUID id) {
        return redis.send(Request.cmd(Command.HSETNX).arg(callKey(id)).arg("rung").arg("1")).map(r -> r.toInteger() == 1);
    }

    /** Creates a group call with the caller's device in it; false when the caller is in another call. */
    Future<Boolean> startGroup(Call call, List<UUID> invitees) {
        Request eval = Request.cmd(Command.EVAL).arg(GROUP_START).arg(5);
        groupKeys(eval, call.id()).arg(userKey(call.caller())).arg(call.id().toString()).arg(call.caller().toString())
                .arg(call.callerDevice()).arg(call.video() ? "1" : "0").arg(call.startedAt()).arg(call.ringUntil())
                .arg(CALL_TTL_SECONDS);
        invitees.forEach(u -> eval.arg(u.toString()));
        return redis.send(eval).map(r -> r.toInteger() == 1);
    }

    Future<JoinResult> join(UUID id, UUID user, int device, long now, int max) {
        Request eval = Request.cmd(Command.EVAL).arg(GROUP_JOIN).arg(5);
        groupKeys(eval, id).arg(userKey(user)).arg(id.toString()).arg(user.toString()).arg(device).arg(now).arg(max)
                .arg(CALL_TTL_SECONDS);
        return redis.send(eval).map(r -> JoinResult.valueOf(r.toString().toUpperCase().replace('-', '_')));
    }

    /** Takes the device out of the group call; empty when it was not in it. */
    Future<Optional<Left>> leave(UUID id, UUID user, int device) {
        Request eval = Request.cmd(Command.EVAL).arg(GROUP_LEAVE).arg(5);
        groupKeys(eval, id).arg(userKey(user)).arg(id.toString()).arg(member(user, device));
        return redis.send(eval).map(r -> {
            if (r == null || r.size() == 0) {
                return Optional.empty();
            }
            List<UUID> never = new ArrayList<>();
            for (int i = 2; i < r.size(); i++) {
                never.add(UUID.fromString(r.get(i).toString()));
            }
            return Optional.of(new Left(r.get(0).toLong(), r.get(1).toInteger(), never));
        });
    }

    /** A group call's participants: "user/device" → joined at. */
    Future<List<Participant>> participants(UUID id) {
        return hashOf(callKey(id) + ":members").map(flat -> {
            List<Participant> out = new ArrayList<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                String m = flat.get(i);
                int slash = m.indexOf('/');
                out.add(new Participant(UUID.fromString(m.substring(0, slash)), Integer.parseInt(m.substring(slash + 1)),
                        Long.parseLong(flat.get(i + 1))));
            }
            out.sort(java.util.Comparator.comparingLong(Participant::joinedAt));
            return out;
        });
    }

    /** True when the user was invited to this group call. */
    Future<Boolean> invited(UUID id, UUID user) {
        return redis.send(Request.cmd(Command.SISMEMBER).arg(callKey(id) + ":invited").arg(user.toString()))
                .map(r -> r.toInteger() == 1);
    }

    private static Request groupKeys(Request eval, UUID id) {
        String call = callKey(id);
        return eval.arg(call).arg(call + ":members").arg(call + ":invited").arg(call + ":joined");
    }

    /** A device of a call that disconnected: its call ends unless it is back (a newer connection) by then. */
    record Disconnect(UUID call, UUID user, int device, String connectionId) {
        String member() {
            return call + "|" + user + "|" + device + "|" + connectionId;
        }

        static Disconnect of(String member) {
            String[] p = member.split("\\|", 4);
            return new Disconnect(UUID.fromString(p[0]), UUID.fromString(p[1]), Integer.parseInt(p[2]), p.length > 3 ? p[3] : "");
        }
    }

    /** Notes the disconnect, due at {@code due}; every instance seeing the same event notes the same entry. */
    Future<Void> noteDisconnect(Disconnect d, long due) {
        return redis.send(Request.cmd(Command.ZADD).arg(GONE).arg(due).arg(d.member())).mapEmpty();
    }

    /** Disconnects due before {@code now}, at most {@code limit}. */
    Future<List<Disconnect>> dueDisconnects(long now, int limit) {
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(GONE).arg("-inf").arg(now).arg("LIMIT").arg(0).arg(limit))
                .map(r -> {
                    List<Disconnect> out = new ArrayList<>(r.size());
                    r.forEach(item -> out.add(Disconnect.of(item.toString())));
                    return out;
                });
    }

    /** True for the one instance that takes this disconnect off the list (and so handles it). */
    Future<Boolean> claimDisconnect(Disconnect d) {
        return redis.send(Request.cmd(Command.ZREM).arg(GONE).arg(d.member())).map(r -> r.toInteger() == 1);
    }

    /** A device in a group call. */
    record Participant(UUID userId, int deviceId, long joinedAt) {
    }
}
