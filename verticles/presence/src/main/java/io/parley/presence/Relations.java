package io.parley.presence;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.proto.Relation;
import io.parley.proto.RelationRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What one user may see of another, asked of accounts ({@code parley.accounts.relation}) and kept
 * for a few seconds: a change pushed to many subscribers costs accounts one query per pair per
 * interval. A relation event (block, contact, privacy change) makes a user's answers stale at
 * once. Event-loop confined.
 */
final class Relations {
    private static final long TTL_MS = 5_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final long TIMEOUT_MS = 5_000;

    /** How {@code viewer} sees {@code target}: whether target exists, any block, last seen visible. */
    record View(boolean exists, boolean blocked, boolean lastSeenVisible) {
    }

    private record Entry(Relation relation, long fetchedAt) {
    }

    private final Vertx vertx;
    private final Map<UUID, Long> changedAt = new HashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    Relations(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Both directions: {@code target} blocked {@code viewer}, or {@code viewer} blocked {@code target}. */
    Future<View> view(UUID viewer, UUID target) {
        if (viewer.equals(target)) {
            return relation(viewer, target).map(r -> new View(r.getExists(), false, true));
        }
        Future<Relation> toward = relation(viewer, target);
        Future<Relation> back = relation(target, viewer);
        return Future.all(toward, back).map(both -> new View(toward.result().getExists(),
                toward.result().getBlocked() || back.result().getBlocked(), toward.result().getLastSeenVisible()));
    }

    private Future<Relation> relation(UUID from, UUID to) {
        String key = from + "/" + to;
        long now = System.currentTimeMillis();
        Entry entry = entries.get(key);
        if (entry != null && now - entry.fetchedAt() < TTL_MS && entry.fetchedAt() > changedAt.getOrDefault(from, 0L)
                && entry.fetchedAt() > changedAt.getOrDefault(to, 0L)) {
            return Future.succeededFuture(entry.relation());
        }
        return vertx.eventBus().<Relation>request(Addresses.ACCOUNTS_RELATION,
                        RelationRequest.newBuilder().setFrom(Ids.bytes(from)).setTo(Ids.bytes(to)).build(),
                        new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> {
                    entries.put(key, new Entry(reply.body(), now));
                    return reply.body();
                });
    }

    /** Everything known about this user's relations is stale from now on. */
    void changed(UUID user) {
        long now = System.currentTimeMillis();
        changedAt.put(user, now);
        if (changedAt.size() > MAX_ENTRIES) {
            changedAt.values().removeIf(at -> at < now - TTL_MS);
        }
    }
}
