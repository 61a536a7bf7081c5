package io.parley.groups;

import java.time.Duration;

/** Limits and timings of groups and broadcast lists. */
public record GroupsConfig(
        int maxMembers,
        int maxBroadcastRecipients,
        int maxSubjectChars,
        int maxDescriptionChars,
        Duration defaultInviteTtl,
        Duration maxInviteTtl,
        Duration outboxRetry,
        Duration messageRetention) {
    public static GroupsConfig defaults() {
        return new GroupsConfig(1024, 256, 100, 2048, Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(5),
                Duration.ofDays(30));
    }
}
