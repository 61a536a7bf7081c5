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
 * @param reconnectGrace a device of a call that disconnects has this long to be back before its call
 *     ends (or it leaves the group call) ({@code calls.reconnectGraceSeconds})
 */
public record CallLifecycleConfig(Duration ringTimeout, Duration sweepInterval, int maxSignalBytes,
        int maxGroupParticipants, Duration historyRetention, Duration reconnectGrace) {
    public static final Duration RING_TIMEOUT = Duration.ofSeconds(45);
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(500);
    public static final int MAX_SIGNAL_BYTES = 64 * 1024;
    public static final int MAX_GROUP_PARTICIPANTS = 8;
    public static final Duration HISTORY_RETENTION = Duration.ofDays(365);
    public static final Duration RECONNECT_GRACE = Duration.ofSeconds(15);

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
                HISTORY_RETENTION, RECONNECT_GRACE);
    }

    public CallLifecycleConfig withRingTimeout(Duration ring) {
        return new CallLifecycleConfig(ring, sweepInterval, maxSignalBytes, maxGroupParticipants, historyRetention,
                reconnectGrace);
    }

    public CallLifecycleConfig withMaxSignalBytes(int bytes) {
        return new CallLifecycleConfig(ringTimeout, sweepInterval, bytes, maxGroupParticipants, historyRetention,
                reconnectGrace);
    }

    public CallLifecycleConfig withHistoryRetention(Duration retention) {
        return new CallLifecycleConfig(ringTimeout, sweepInterval, maxSignalBytes, maxGroupParticipants, retention,
                reconnectGrace);
    }

    public CallLifecycleConfig withReconnectGrace(Duration grace) {
        return new CallLifecycleConfig(ringTimeout, sweepInterval, maxSignalBytes, maxGroupParticipants, historyRetention,
                grace);
    }
}
