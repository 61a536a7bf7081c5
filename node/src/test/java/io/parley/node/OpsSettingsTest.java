package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka.*, push.*, backup.* and admin.* keys: defaults (stream off), validation, the admin token file. */
class OpsSettingsTest {
    @Test
    void theEventStreamIsOffAndWebPushOnlyByDefault() {
        NodeConfig config = NodeConfig.defaults();
        assertThat(config.ops().events().kafkaBootstrapServers()).isEmpty();
        assertThat(config.ops().events().push().fcm()).isEmpty();
        assertThat(config.ops().events().push().apns()).isEmpty();
        assertThat(config.ops().events().push().allowPrivateEndpoints()).isFalse();
        assertThat(config.ops().backupMaxBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(config.roles()).contains("events");
    }

    @Test
    void readsKafkaFromTheEnvironment() {
        NodeConfig config = NodeConfig.load(Optional.empty(), Map.of("PARLEY_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                Map.of());
        assertThat(config.ops().events().kafkaBootstrapServers()).contains("k1:9092,k2:9092");
    }

    @Test
    void refusesMalformedOperationsKeysNamingThem() {
        assertThatThrownBy(() -> load("kafka.bootstrapServers", "no port here")).hasMessageContaining("kafka.bootstrapServers");
        assertThatThrownBy(() -> load("kafka.topicPrefix", "bad prefix!")).hasMessageContaining("kafka.topicPrefix");
        assertThatThrownBy(() -> load("push.vapidSubject", "admin@example.com")).hasMessageContaining("mailto:");
        assertThatThrownBy(() -> load("push.fcmProjectId", "p")).hasMessageContaining("push.fcmCredentialsFile")
                .hasMessageContaining("required");
        assertThatThrownBy(() -> load("push.apnsTeamId", "T")).hasMessageContaining("push.apnsKeyId");
        assertThatThrownBy(() -> load("backup.maxBytes", "10")).hasMessageContaining("backup.maxBytes");
        assertThatThrownBy(() -> load("admin.token", "short")).hasMessageContaining("16 characters");
        assertThatThrownBy(() -> load("push.pendingTtlSeconds", "0")).hasMessageContaining("push.pendingTtlSeconds");
    }

    @Test
    void makesAnOwnerOnlyAdminTokenOnceAndKeepsIt(@TempDir Path data) throws Exception {
        String token = AdminToken.resolve(Optional.empty(), data);
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(Files.getPosixFilePermissions(data.resolve(AdminToken.FILE))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(AdminToken.resolve(Optional.empty(), data)).isEqualTo(token);
        assertThat(AdminToken.resolve(Optional.of("a-configured-token-0123"), data)).isEqualTo("a-configured-token-0123");
    }

    private static NodeConfig load(String key, String value) {
        return NodeConfig.load(Optional.empty(), Map.of(), Map.of(key, value));
    }
}
