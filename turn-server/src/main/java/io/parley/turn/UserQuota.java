package io.parley.turn;

/**
 * One user's share of the server: how many allocations they hold, and a token bucket of relayed bytes
 * per second shared by all their allocations (both directions). Allocations on different event loops
 * may share it, hence the locks; they are uncontended in practice (one user, one or two allocations).
 */
final class UserQuota {
    private final String userId;
    private final long bytesPerSecond;
    private int allocations;
    private long tokens;
    private long refilledAtNanos;

    UserQuota(String userId, long bytesPerSecond, long nowNanos) {
        this.userId = userId;
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.refilledAtNanos = nowNanos;
    }

    String userId() {
        return userId;
    }

    synchronized boolean tryAddAllocation(int max) {
        if (allocations >= max) {
            return false;
        }
        allocations++;
        return true;
    }

    /** Returns the number of allocations left. */
    synchronized int removeAllocation() {
        return --allocations;
    }

    /** Whether {@code bytes} more may be relayed now; the bucket holds at most one second of traffic. */
    boolean tryRelay(int bytes, long nowNanos) {
        if (bytesPerSecond == 0) {
            return true;
        }
        synchronized (this) {
            long elapsed = Math.min(nowNanos - refilledAtNanos, 1_000_000_000L); // capped: no overflow
            long earned = elapsed * bytesPerSecond / 1_000_000_000L;
            if (earned > 0) {
                tokens = Math.min(bytesPerSecond, tokens + earned);
                refilledAtNanos = nowNanos;
            }
            if (tokens < bytes) {
                return false;
            }
            tokens -= bytes;
            return true;
        }
    }
}
