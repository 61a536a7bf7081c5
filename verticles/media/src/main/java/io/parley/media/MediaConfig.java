package io.parley.media;

import io.parley.proto.MediaKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the media role needs: size caps per kind, how long signed URLs live, how long an incomplete
 * upload and an unreferenced blob are kept, how often the sweep runs, where uploads are staged and
 * which blob store keeps completed blobs (a local folder, or S3 when {@code s3} is present).
 */
public record MediaConfig(Map<MediaKind, Long> maxBytes, Duration urlLifetime, Duration uploadLifetime,
        Duration unreferencedRetention, Duration sweepInterval, Path stagingFolder, Path localFolder,
        Optional<S3> s3) {

    /** An S3-compatible store, addressed path-style (http://host:port/bucket/key). */
    public record S3(String endpoint, String region, String bucket, String accessKey, String secretKey) {
    }

    /** The cap of a kind; an unspecified kind has none (it is refused before this is asked). */
    public long capOf(MediaKind kind) {
        return maxBytes.getOrDefault(kind, 0L);
    }
}
