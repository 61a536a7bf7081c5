package io.parley.sessions;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis, shared by every node: one per user (requests) and one per IP address
 * (connects and HTTP calls). A session leases several tokens per round trip and spends them
 * locally, so a busy connection pays one Redis call per lease, not per request.
 */
final class RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
    static final int LEASE = 10;
    /** The most tokens one call takes, when more requests than {@link #LEASE} are waiting. */
    static final int MAX_LEASE = 100;
    /** A failing Redis is logged once per this interval, with how many checks failed since. */
    private static final long FAILURE_LOG_INTERVAL_MS = 5_000;
    /** Redis requests have no deadline of their own; a limiter that cannot answer in time is a 503. */
    private static final long REDIS_TIMEOUT_MS = 2_000;
    private static final String TAKE = """
            local b = redis.call('HMGET', KEYS[1], 't', 'ts')
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local now = tonumber(ARGV[3])
            local want = tonumber(ARGV[4])
            local tokens = tonumber(b[1])
            local ts = tonumber(b[2])
            if tokens == nil then tokens = burst ts = now end
            if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000) end
            local granted = math.min(want, math.floor(tokens))
            tokens = tokens - granted
            redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(math.max(now, ts)))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
            return granted""";

    private final Redis redis;
    private final EdgeConfig.RateLimits limits;
    private long failuresUnlogged;
    private long failureLoggedAt;

    RateLimiter(Redis redis, EdgeConfig.RateLimits limits) {
        this.redis = redis;
        this.limits = limits;
    }

    /**
     * Takes up to {@code wanted} tokens of the user's bucket (at least {@link #LEASE}, at most {@link #MAX_LEASE});
     * completes with how many it got (0: limited).
     */
    Future<Integer> leaseForUser(UUID userId, int wanted) {
        return take("parley:rl:user:" + userId, limits.userPerSecond(), limits.userBurst(),
                Math.min(MAX_LEASE, Math.max(LEASE, wanted)));
    }

    /** One token of the address's bucket: true when the connect or call may go ahead. */
    Future<Boolean> allowAddress(String address) {
        return take("parley:rl:ip:" + address, limits.ipPerSecond(), limits.ipBurst(), 1).map(granted -> granted > 0);
    }

    private Future<Integer> take(String key, double rate, int burst, int want) {
        return redis.send(Request.cmd(Command.EVAL).arg(TAKE).arg(1).arg(key).arg(String.valueOf(rate))
                        .arg(burst).arg(System.currentTimeMillis()).arg(want))
                .timeout(REDIS_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .map(r -> r.toInteger())
                .onFailure(this::failed);
    }

    /**
     * Every failed check is a 503 to a client: say why in the log, without one line per request. Runs on
     * the sessions verticle's event loop (the Redis client and its timeout complete there), like all of this class.
     */
    private void failed(Throwable cause) {
        failuresUnlogged++;
        long now = System.currentTimeMillis();
        if (now - failureLoggedAt >= FAILURE_LOG_INTERVAL_MS) {
            LOG.warn("rate limiter unavailable ({} checks failed): {}", failuresUnlogged, cause.toString());
            failuresUnlogged = 0;
            failureLoggedAt = now;
        }
    }
}
