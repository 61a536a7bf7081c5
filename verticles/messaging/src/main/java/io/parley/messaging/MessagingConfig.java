package io.parley.messaging;

import java.time.Duration;

/** Limits and windows of 1:1 messaging. */
public record MessagingConfig(
        int maxPayloadBytes,
        int maxEnvelopes,
        Duration editWindow,
        Duration deleteWindow,
        int maxBatchRows,
        int maxCommitsInFlight,
        Duration commitLinger,
        int replayPageSize,
        Duration sweepInterval) {
    public static MessagingConfig defaults() {
        return new MessagingConfig(64 * 1024, 32, Duration.ofMinutes(15), Duration.ofHours(48), 4_000, 2,
                Duration.ZERO, 200, Duration.ofSeconds(30));
    }

    public MessagingConfig withCommitLinger(Duration linger) {
        return new MessagingConfig(maxPayloadBytes, maxEnvelopes, editWindow, deleteWindow, maxBatchRows,
                maxCommitsInFlight, linger, replayPageSize, sweepInterval);
    }

    public MessagingConfig withSweepInterval(Duration interval) {
        return new MessagingConfig(maxPayloadBytes, maxEnvelopes, editWindow, deleteWindow, maxBatchRows,
                maxCommitsInFlight, commitLinger, replayPageSize, interval);
    }
}
