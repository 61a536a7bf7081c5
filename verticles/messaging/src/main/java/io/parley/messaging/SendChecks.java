package io.parley.messaging;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.proto.SendCheck;
import io.parley.proto.SendCheckRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Asks accounts what a send from one user to another must check, and remembers the answer for a
 * few seconds: a busy conversation costs accounts one query per interval, not one per message.
 * Device and relation events make a user's answers stale at once. Event-loop confined.
 */
final class SendChecks {
    private static final long TTL_MS = 10_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final long TIMEOUT_MS = 5_000;

    private record Entry(SendCheck check, long fetchedAt) {
    }

    private final Vertx vertx;
    private final Map<UUID, Long> changedAt = new HashMap<>();
    private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SendChecks(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The check for this pair; {@code fresh} skips the cache (after a device mismatch, say). */
    Future<SendCheck> get(UUID from, UUID to, boolean fresh) {
        String key = from + "/" + to;
        long now = System.currentTimeMillis();
        Entry entry = entries.get(key);
        if (!fresh && entry != null && now - entry.fetchedAt() < TTL_MS
                && entry.fetchedAt() > changedAt.getOrDefault(from, 0L) && entry.fetchedAt() > changedAt.getOrDefault(to, 0L)) {
            return Future.succeededFuture(entry.check());
        }
        return vertx.eventBus().<SendCheck>request(Addresses.ACCOUNTS_SEND_CHECK,
                        SendCheckRequest.newBuilder().setFrom(Ids.bytes(from)).setTo(Ids.bytes(to)).build(),
                        new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> {
                    entries.put(key, new Entry(reply.body(), now));
                    return reply.body();
                });
    }

    /** Everything known about this user's devices or relations is stale from now on. */
    void changed(UUID user) {
        changedAt.put(user, System.currentTimeMillis());
        if (changedAt.size() > MAX_ENTRIES) {
            long horizon = System.currentTimeMillis() - TTL_MS;
            changedAt.values().removeIf(at -> at < horizon);
        }
    }
}
