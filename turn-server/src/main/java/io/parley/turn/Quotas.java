package io.parley.turn;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Allocations held per user and in total, against the configured limits; shared by every event loop. */
final class Quotas {
    enum Refusal { NONE, USER_QUOTA, SERVER_FULL }

    private final ConcurrentHashMap<String, UserQuota> users = new ConcurrentHashMap<>();
    private final int perUser;
    private final int total;
    private final long bytesPerSecond;
    private final AtomicInteger live;

    Quotas(int perUser, int total, long bytesPerSecond, AtomicInteger live) {
        this.perUser = perUser;
        this.total = total;
        this.bytesPerSecond = bytesPerSecond;
        this.live = live;
    }

    /** Takes one allocation for the user, or says which limit refuses it. */
    Refusal acquire(String userId, long nowNanos, UserQuota[] granted) {
        if (live.incrementAndGet() > total) {
            live.decrementAndGet();
            return Refusal.SERVER_FULL;
        }
        UserQuota[] result = new UserQuota[1];
        users.compute(userId, (id, quota) -> {
            UserQuota q = quota != null ? quota : new UserQuota(id, bytesPerSecond, nowNanos);
            result[0] = q.tryAddAllocation(perUser) ? q : null;
            return q;
        });
        if (result[0] == null) {
            live.decrementAndGet();
            return Refusal.USER_QUOTA;
        }
        granted[0] = result[0];
        return Refusal.NONE;
    }

    void release(UserQuota quota) {
        live.decrementAndGet();
        users.compute(quota.userId(), (id, q) -> q == null || q.removeAllocation() > 0 ? q : null);
    }

    int users() {
        return users.size();
    }
}
