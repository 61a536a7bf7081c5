package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as the launcher runs it: a process of its own, stopped by signals. */
class NodeProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void sigtermStopsTheNodeAndLeavesNoPostgresOrRedisBehind() throws Exception {
        try (NodeProcess node = NodeProcess.start("start", "--data", data.toString(), "--port", "0")) {
            node.awaitReady(START);
            List<ProcessHandle> servers = embeddedServers();
            assertThat(servers).hasSize(2).allMatch(ProcessHandle::isAlive);

            node.signal("TERM");

            assertThat(node.awaitExit(STOP)).isIn(0, 143);
            assertThat(node.output()).contains("stopped");
            for (ProcessHandle server : servers) {
                server.onExit().get(STOP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertThat(server.isAlive()).as("pid %d still alive", server.pid()).isFalse();
            }
        }
    }

    @Test
    void restartsOnTheDataFolderOfANodeKilledWithSigkill() throws Exception {
        List<ProcessHandle> orphans;
        try (NodeProcess node = NodeProcess.start("start", "--data", data.toString(), "--port", "0")) {
            node.awaitReady(START);
            orphans = embeddedServers();
            node.signal("KILL");
            node.awaitExit(STOP);
        }
        try (NodeProcess node = NodeProcess.start("start", "--data", data.toString(), "--port", "0")) {
            node.awaitReady(START);
            assertThat(orphans).noneMatch(ProcessHandle::isAlive);
            node.signal("TERM");
            node.awaitExit(STOP);
        }
    }

    @Test
    void exitsWithCode2AndNamesAnUnknownConfigurationKey() throws Exception {
        Path file = data.resolve("parley.json");
        Files.writeString(file, "{\"http\": {\"port\": 8080, \"prot\": 1}}");
        try (NodeProcess node = NodeProcess.start("start", "--config", file.toString())) {
            assertThat(node.awaitExit(STOP)).isEqualTo(Main.EXIT_CONFIG);
            assertThat(node.output()).contains("configuration key 'http.prot' is unknown");
        }
    }

    @Test
    void exitsWithCode1AndSaysWhyWhenTheDataFolderIsInUse() throws Exception {
        try (NodeProcess first = NodeProcess.start("start", "--data", data.toString(), "--port", "0");
             NodeProcess second = startWhenReady(first)) {
            assertThat(second.awaitExit(STOP)).isEqualTo(Main.EXIT_START);
            assertThat(second.output()).contains("is in use by another Parley node (pid " + first.pid() + ")");
        }
    }

    private NodeProcess startWhenReady(NodeProcess first) throws Exception {
        first.awaitReady(START);
        return NodeProcess.start("start", "--data", data.toString(), "--port", "0");
    }

    private List<ProcessHandle> embeddedServers() throws Exception {
        Optional<Long> postgres = NodeProcess.pidIn(data.resolve("postgres/postmaster.pid"));
        Optional<Long> redis = NodeProcess.pidIn(data.resolve("redis/redis.pid"));
        return java.util.stream.Stream.of(postgres, redis).flatMap(Optional::stream)
                .map(ProcessHandle::of).flatMap(Optional::stream).toList();
    }
}
