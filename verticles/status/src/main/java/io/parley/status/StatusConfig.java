package io.parley.status;

import java.time.Duration;

/**
 * The status role's limits: how long a post lives, how often the sweep deletes expired ones, how
 * many device copies and blobs a post may carry and how large a copy may be, and the time-out of
 * its requests to the media role.
 */
public record StatusConfig(Duration lifetime, Duration sweepInterval, int maxCopies, int maxCopyBytes, int maxBlobs,
        long mediaTimeoutMs) {
    private static final int MAX_COPIES = 256;
    private static final int MAX_COPY_BYTES = 8 * 1024;
    private static final int MAX_BLOBS = 4;
    private static final long MEDIA_TIMEOUT_MS = 5_000;

    public static StatusConfig of(Duration lifetime, Duration sweepInterval) {
        return new StatusConfig(lifetime, sweepInterval, MAX_COPIES, MAX_COPY_BYTES, MAX_BLOBS, MEDIA_TIMEOUT_MS);
    }
}
