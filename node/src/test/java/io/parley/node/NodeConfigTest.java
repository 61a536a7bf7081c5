package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToAnEmbeddedSingleNodeOnPort8080() {
        NodeConfig config = NodeConfig.defaults();

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.postgresUrl()).isEmpty();
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.roles()).containsExactlyElementsOf(Roles.ALL);
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    }

    @Test
    void runsReceiptsAndPresenceByDefault() {
        NodeConfig config = NodeConfig.defaults();

        assertThat(config.roles()).contains("receipts", "presence");
        assertThat(config.presenceSweepSeconds()).isEqualTo(10);
        assertThat(config.presenceOnlineTtlSeconds()).isEqualTo(300);
    }

    @Test
    void refusesAPresenceOnlineTtlShorterThanThreeSweeps() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_PRESENCE_ONLINE_TTL_SECONDS", "20"),
                Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("presence.onlineTtlSeconds")
                .hasMessageContaining("three presence.sweepSeconds");
    }

    @Test
    void ringsCallsFortyFiveSecondsByDefaultAndTakesTheRingTimeFromTheEnvironment() {
        assertThat(NodeConfig.defaults().calls().ringTimeout()).hasSeconds(45);
        assertThat(NodeConfig.defaults().calls().maxSignalBytes()).isEqualTo(64 * 1024);
        assertThat(NodeConfig.defaults().calls().reconnectGrace()).hasSeconds(15);
        NodeConfig config = NodeConfig.load(Optional.empty(), Map.of("PARLEY_CALLS_RING_SECONDS", "20"), Map.of());

        assertThat(config.calls().ringTimeout()).hasSeconds(20);
    }

    @Test
    void refusesARingTimeOrSignalLimitOutOfRange() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of(), Map.of("calls.ringSeconds", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("calls.ringSeconds");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of(), Map.of("calls.maxSignalBytes", "10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("calls.maxSignalBytes");
    }

    @Test
    void layersFileThenEnvironmentThenFlags() throws Exception {
        Path file = write("{\"http\": {\"port\": 9000, \"host\": \"127.0.0.1\"}, \"postgres\": {\"poolSize\": 4}}");

        NodeConfig config = NodeConfig.load(Optional.of(file),
                Map.of("PARLEY_POSTGRES_POOL_SIZE", "6", "PARLEY_HTTP_PORT", "9001", "HOME", "/root"),
                Map.of("http.port", "9002"));

        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.postgresPoolSize()).isEqualTo(6);
        assertThat(config.httpPort()).isEqualTo(9002);
    }

    @Test
    void refusesAnUnknownKeyInTheFileNamingIt() throws Exception {
        Path file = write("{\"http\": {\"prot\": 1}}");

        assertThatThrownBy(() -> NodeConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'http.prot' is unknown");
    }

    @Test
    void refusesAnUnknownTopLevelSection() throws Exception {
        Path file = write("{\"mqtt\": {\"brokers\": \"x\"}}");

        assertThatThrownBy(() -> NodeConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'mqtt' is unknown");
    }

    @Test
    void refusesAnUnknownParleyVariable() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_HTTP_PROT", "1"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_HTTP_PROT");
    }

    @Test
    void refusesAValueOfTheWrongType() throws Exception {
        Path file = write("{\"http\": {\"port\": \"eighty\"}}");

        assertThatThrownBy(() -> NodeConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'http.port' must be a whole number");
    }

    @Test
    void refusesOutOfRangeValues() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of(), Map.of("http.port", "70000")))
                .hasMessageContaining("'http.port' must be between 0 and 65535");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_INSTANCES_EDGE", "0"), Map.of()))
                .hasMessageContaining("'instances.edge' must be between 1 and 64");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_ROLES", "edge,teleport"), Map.of()))
                .hasMessageContaining("unknown role 'teleport'");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_POSTGRES_URL", "mysql://x"), Map.of()))
                .hasMessageContaining("'postgres.url' must look like postgresql://");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of("PARLEY_MESSAGING_COMMIT_LINGER_MICROS", "5001"),
                Map.of())).hasMessageContaining("'messaging.commitLingerMicros' must be between 0 and 5000");
        assertThat(NodeConfig.load(Optional.empty(), Map.of("PARLEY_MESSAGING_COMMIT_LINGER_MICROS", "300"), Map.of())
                .messagingCommitLingerMicros()).isEqualTo(300);
        assertThat(NodeConfig.load(Optional.empty(), Map.of(), Map.of()).messagingCommitLingerMicros()).isZero();
    }

    @Test
    void refusesAFileThatIsNotJson() throws Exception {
        Path file = write("{ port: 80");

        assertThatThrownBy(() -> NodeConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid JSON");
    }

    @Test
    void refusesAMissingFile() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.of(dir.resolve("absent.json")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read configuration file");
    }

    @Test
    void mapsEveryKeyToItsEnvironmentVariable() {
        assertThat(NodeConfig.KEYS).extracting(ConfigKey::environmentVariable)
                .contains("PARLEY_HTTP_PORT", "PARLEY_POSTGRES_POOL_SIZE", "PARLEY_DATA_DIR", "PARLEY_INSTANCES_EDGE")
                .doesNotHaveDuplicates();
    }

    @Test
    void rejectsUnknownCommandLineFlags() {
        assertThatThrownBy(() -> Main.configFrom(new String[] {"start", "--prot", "1"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown flag --prot");
    }

    private Path write(String json) throws Exception {
        Path file = dir.resolve("parley.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void runsAloneUnlessToldToJoinACluster() {
        assertThat(NodeConfig.defaults().cluster().enabled()).isFalse();
    }

    @Test
    void takesClusterMembershipAndRolesFromTheLaunchersFlags() {
        NodeConfig config = Main.configFrom(new String[] {"start", "--cluster", "--cluster-port", "5801",
                "--members", "127.0.0.1:5802,127.0.0.1:5803", "--roles", "edge,messaging"});

        assertThat(config.cluster().enabled()).isTrue();
        assertThat(config.cluster().port()).isEqualTo(5801);
        assertThat(config.cluster().members()).containsExactly("127.0.0.1:5802", "127.0.0.1:5803");
        assertThat(config.roles()).containsExactly("edge", "messaging");
    }

    @Test
    void refusesAClusterMemberThatIsNotHostAndPort() {
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of(), Map.of("cluster.members", "127.0.0.1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members");
        assertThatThrownBy(() -> NodeConfig.load(Optional.empty(), Map.of(), Map.of("cluster.members", "h:70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members");
    }
}
