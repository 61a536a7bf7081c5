package io.parley.node;

import io.parley.media.MediaConfig;
import io.parley.proto.MediaKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code media.*} configuration keys and the {@link MediaConfig} they make. */
final class MediaSettings {
    private static final int MIB = 1024 * 1024;

    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("media.store", ConfigKey.Type.STRING, "local", "where blobs live: local (DATA/media) or s3"),
            new ConfigKey("media.folder", ConfigKey.Type.STRING, "",
                    "folder of the local store (default DATA/media/blobs); uploads are staged in DATA/media/uploads"),
            new ConfigKey("media.maxMegabytes.image", ConfigKey.Type.INT, 16, "largest image upload, MiB of ciphertext"),
            new ConfigKey("media.maxMegabytes.video", ConfigKey.Type.INT, 100, "largest video upload, MiB"),
            new ConfigKey("media.maxMegabytes.document", ConfigKey.Type.INT, 100, "largest document upload, MiB"),
            new ConfigKey("media.maxMegabytes.voice", ConfigKey.Type.INT, 16, "largest voice note upload, MiB"),
            new ConfigKey("media.urlLifetimeSeconds", ConfigKey.Type.INT, 3600, "life of a signed upload or download URL"),
            new ConfigKey("media.uploadLifetimeSeconds", ConfigKey.Type.INT, 86_400,
                    "an upload not completed this long after it was reserved is deleted"),
            new ConfigKey("media.unreferencedRetentionSeconds", ConfigKey.Type.INT, 30 * 86_400,
                    "a blob nothing pins (an attachment sent in a message) is deleted this long after its upload"),
            new ConfigKey("media.sweepSeconds", ConfigKey.Type.INT, 60, "how often expired uploads and blobs are deleted"),
            new ConfigKey("media.s3.endpoint", ConfigKey.Type.STRING, "", "S3-compatible endpoint, e.g. http://127.0.0.1:9000"),
            new ConfigKey("media.s3.region", ConfigKey.Type.STRING, "us-east-1", "S3 region"),
            new ConfigKey("media.s3.bucket", ConfigKey.Type.STRING, "parley-media", "S3 bucket (created when missing)"),
            new ConfigKey("media.s3.accessKey", ConfigKey.Type.STRING, "", "S3 access key"),
            new ConfigKey("media.s3.secretKey", ConfigKey.Type.STRING, "", "S3 secret key"));

    private MediaSettings() {
    }

    static MediaConfig from(Map<String, Object> v, Path data) {
        String store = (String) v.get("media.store");
        if (!List.of("local", "s3").contains(store)) {
            throw new ConfigException("media.store", "must be 'local' or 's3', got '" + store + "'");
        }
        Optional<MediaConfig.S3> s3 = Optional.empty();
        if (store.equals("s3")) {
            String endpoint = (String) v.get("media.s3.endpoint");
            if (!endpoint.matches("https?://.+")) {
                throw new ConfigException("media.s3.endpoint", "must be an http:// or https:// URL when media.store is s3");
            }
            for (String key : List.of("media.s3.bucket", "media.s3.accessKey", "media.s3.secretKey", "media.s3.region")) {
                if (((String) v.get(key)).isBlank()) {
                    throw new ConfigException(key, "must be set when media.store is s3");
                }
            }
            s3 = Optional.of(new MediaConfig.S3(endpoint, (String) v.get("media.s3.region"), (String) v.get("media.s3.bucket"),
                    (String) v.get("media.s3.accessKey"), (String) v.get("media.s3.secretKey")));
        }
        String folder = (String) v.get("media.folder");
        Map<MediaKind, Long> caps = Map.of(
                MediaKind.MEDIA_KIND_IMAGE, megabytes(v, "media.maxMegabytes.image"),
                MediaKind.MEDIA_KIND_VIDEO, megabytes(v, "media.maxMegabytes.video"),
                MediaKind.MEDIA_KIND_DOCUMENT, megabytes(v, "media.maxMegabytes.document"),
                MediaKind.MEDIA_KIND_VOICE, megabytes(v, "media.maxMegabytes.voice"));
        return new MediaConfig(caps, seconds(v, "media.urlLifetimeSeconds", 10, 7 * 86_400),
                seconds(v, "media.uploadLifetimeSeconds", 60, 30 * 86_400),
                seconds(v, "media.unreferencedRetentionSeconds", 1, 3650 * 86_400),
                seconds(v, "media.sweepSeconds", 1, 86_400),
                data.resolve("media").resolve("uploads"),
                folder.isEmpty() ? data.resolve("media").resolve("blobs") : Path.of(folder).toAbsolutePath().normalize(),
                s3);
    }

    private static long megabytes(Map<String, Object> v, String key) {
        int value = (Integer) v.get(key);
        if (value < 1 || value > 4096) {
            throw new ConfigException(key, "must be between 1 and 4096, got " + value);
        }
        return (long) value * MIB;
    }

    private static Duration seconds(Map<String, Object> v, String key, int min, int max) {
        int value = (Integer) v.get(key);
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return Duration.ofSeconds(value);
    }
}
