package io.parley.presence;

import java.time.Duration;

/**
 * How long presence state lives in Redis.
 *
 * @param sweepInterval how often the sweep renews the online entries of devices whose route still
 *     exists and turns the others offline (a node that died without saying so)
 * @param onlineTtl life of a device's online entry without a renewal (several sweeps)
 * @param subscriptionTtl life of a subscription; a client renews it by subscribing again
 * @param maxSubscribersPerChange subscribers told of one change, at most
 */
public record PresenceConfig(Duration sweepInterval, Duration onlineTtl, Duration subscriptionTtl,
        int maxSubscribersPerChange) {
    public static PresenceConfig defaults() {
        return withSweepInterval(Duration.ofSeconds(10));
    }

    /** The online entries outlive three sweeps; subscriptions last five minutes. */
    public static PresenceConfig withSweepInterval(Duration sweep) {
        return new PresenceConfig(sweep, sweep.multipliedBy(3), Duration.ofMinutes(5), 5_000);
    }
}
