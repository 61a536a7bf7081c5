package io.parley.calls;

import java.time.Duration;

/**
 * Limits and timers of the call lifecycle.
 *
 * @param ringTimeout a 1:1 call not answered within this is missed ({@code calls.ringSeconds})
 * @param sweepInterval how often each instance looks for calls whose ring timed out
 * @param maxSignalBytes largest signalling blob relayed; larger ones get 413 ({@code calls.maxSignalBytes})
 * @param maxGroupParticipants devices in a group call at once; the next join gets 409
 * @param historyRetention call history rows older than this are deleted ({@code calls.historyDays})
 */
public record CallLifecycleConfig(Duration ringTimeout, Duration sweepInterval, int maxSignalBytes,
        int maxGroupParticipants, Duration historyRetention) {
    public static final Duration RING_TIMEOUT = Duration.ofSeconds(45);
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(500);
    public static final int MAX_SIGNAL_BYTES = 64 * 1024;
    public static final int MAX_GROUP_PARTICIPANTS = 8;
    public static final Duration HISTORY_RETENTION = Duration.ofDays(365);

    public CallLifecycleConfig {
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("the ring timeout must be positive");
        }
        if (maxGroupParticipants < 2) {
            throw new IllegalArgumentException("a group call needs room for two participants at least");
        }
    }

    public static CallLifecycleConfig defaults() {
        return new CallLifecycleConfig(RING_TIMEOUT, SWEEP_INTERVAL, MAX_SIGNAL_BYTES, MAX_GROUP_PARTICIPANTS,
                HISTORY_RETENTION);
    }

    public CallLifecycleConfig withRingTimeout(Duration ring) {
        return new CallLifecycleConfig(ring, sweepInterval, maxSignalBytes, maxGroupParticipants, historyRetention);
    }

    public CallLifecycleConfig withMaxSignalBytes(int bytes) {
        return new CallLifecycleConfig(ringTimeout, sweepInterval, bytes, maxGroupParticipants, historyRetention);
    }

    public CallLifecycleConfig withHistoryRetention(Duration retention) {
        return new CallLifecycleConfig(ringTimeout, sweepInterval, maxSignalBytes, maxGroupParticipants, retention);
    }
}
