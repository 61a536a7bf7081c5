package io.parley.presence;

import java.time.Duration;

/**
 * How long presence state lives in Redis.
 *
 * @param sweepInterval how often the sweep renews the online entries of devices whose route still
 *     exists and turns the others offline (a node that died without saying so)
 * @param onlineTtl life of a device's online entry without a renewal; at least three sweeps. The
 *     longer, the fewer renewals (one per device per TTL); a dead node's devices go offline once
 *     their routes expire and their entries come due, so within route TTL + this
 * @param subscriptionTtl life of a subscription; a client renews it by subscribing again
 * @param maxSubscribersPerChange subscribers told of one change, at most
 */
public record PresenceConfig(Duration sweepInterval, Duration onlineTtl, Duration subscriptionTtl,
        int maxSubscribersPerChange) {
    public static final Duration SUBSCRIPTION_TTL = Duration.ofMinutes(5);
    public static final int MAX_SUBSCRIBERS_PER_CHANGE = 5_000;

    public PresenceConfig {
        if (onlineTtl.compareTo(sweepInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("the online TTL must be at least three sweep intervals");
        }
    }

    public static PresenceConfig of(Duration sweepInterval, Duration onlineTtl) {
        return new PresenceConfig(sweepInterval, onlineTtl, SUBSCRIPTION_TTL, MAX_SUBSCRIBERS_PER_CHANGE);
    }
}
