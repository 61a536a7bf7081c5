package io.parley.bus;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Answers about a pair of users (may `from` reach `to`, what may it see), asked of accounts and
 * kept for a short time, so that a busy pair costs accounts one query per interval. Calling
 * {@link #changed} when a device or relation event names a user makes every answer about that
 * user stale at once. One per verticle instance: it is confined to that instance's event loop.
 */
public final class PairCache<T> {
    private record Entry<T>(T value, long fetchedAt) {
    }

    private final long ttlMs;
    private final int maxEntries;
    private final BiFunction<UUID, UUID, Future<T>> fetch;
    private final Map<UUID, Long> changedAt = new HashMap<>();
    private final Map<String, Entry<T>> entries;

    public PairCache(long ttlMs, int maxEntries, BiFunction<UUID, UUID, Future<T>> fetch) {
        this.ttlMs = ttlMs;
        this.maxEntries = maxEntries;
        this.fetch = fetch;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<T>> eldest) {
                return size() > PairCache.this.maxEntries;
            }
        };
    }

    public Future<T> get(UUID from, UUID to) {
        String key = from + "/" + to;
        long now = System.currentTimeMillis();
        Entry<T> entry = entries.get(key);
        if (entry != null && now - entry.fetchedAt() < ttlMs && entry.fetchedAt() > changedAt.getOrDefault(from, 0L)
                && entry.fetchedAt() > changedAt.getOrDefault(to, 0L)) {
            return Future.succeededFuture(entry.value());
        }
        return fetch.apply(from, to).map(value -> {
            entries.put(key, new Entry<>(value, now));
            return value;
        });
    }

    /** Everything known about this user is stale from now on. */
    public void changed(UUID user) {
        long now = System.currentTimeMillis();
        changedAt.put(user, now);
        if (changedAt.size() > maxEntries) {
            changedAt.values().removeIf(at -> at < now - ttlMs);
        }
    }
}
