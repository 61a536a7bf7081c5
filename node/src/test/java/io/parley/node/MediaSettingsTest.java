package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.proto.MediaKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The media.* and status.* keys: defaults, the S3 store's required keys, refused values. */
class MediaSettingsTest {
    @Test
    void defaultsKeepBlobsInTheDataFolderWithPerKindCaps() {
        NodeConfig config = NodeConfig.load(Optional.empty(), Map.of(), Map.of("data.dir", "/tmp/parley-x"));
        assertThat(config.media().s3()).isEmpty();
        assertThat(config.media().localFolder().toString()).isEqualTo("/tmp/parley-x/media/blobs");
        assertThat(config.media().stagingFolder().toString()).isEqualTo("/tmp/parley-x/media/uploads");
        assertThat(config.media().capOf(MediaKind.MEDIA_KIND_VIDEO)).isEqualTo(100L * 1024 * 1024);
        assertThat(config.media().capOf(MediaKind.MEDIA_KIND_VOICE)).isEqualTo(16L * 1024 * 1024);
        assertThat(config.status().lifetime()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theS3StoreTakesItsEndpointAndKeysFromVariables() {
        NodeConfig config = NodeConfig.load(Optional.empty(), Map.of("PARLEY_MEDIA_STORE", "s3",
                "PARLEY_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000", "PARLEY_MEDIA_S3_ACCESS_KEY", "a",
                "PARLEY_MEDIA_S3_SECRET_KEY", "b", "PARLEY_MEDIA_MAX_MEGABYTES_IMAGE", "2"), Map.of());
        assertThat(config.media().s3()).hasValueSatisfying(s3 -> {
            assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:9000");
            assertThat(s3.bucket()).isEqualTo("parley-media");
        });
        assertThat(config.media().capOf(MediaKind.MEDIA_KIND_IMAGE)).isEqualTo(2L * 1024 * 1024);
    }

    @Test
    void refusesAnS3StoreWithoutEndpointOrKeysAndUnknownStores() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_MEDIA_STORE", "s3"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("media.s3.endpoint");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_MEDIA_STORE", "s3",
                "PARLEY_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("media.s3.accessKey");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_MEDIA_STORE", "ftp"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("media.store");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_MEDIA_MAX_MEGABYTES_VIDEO", "0"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("media.maxMegabytes.video");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_STATUS_LIFETIME_SECONDS", "5"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("status.lifetimeSeconds");
    }
}
