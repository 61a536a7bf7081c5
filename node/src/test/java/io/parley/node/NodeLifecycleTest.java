package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started in-process on random ports with embedded PostgreSQL and Redis. */
class NodeLifecycleTest {
    @TempDir
    Path data;

    private Vertx vertx;
    private WebClient http;

    @BeforeEach
    void client() {
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
    }

    @AfterEach
    void closeClient() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void reportsHealthyAndServesMetricsOnEmbeddedStores() throws Exception {
        try (ParleyNode node = ParleyNode.start(config(data, Map.of()))) {
            HttpResponse<Buffer> health = get(node.httpPort(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            JsonObject body = health.bodyAsJsonObject();
            assertThat(body.getString("outcome")).isEqualTo("UP");
            assertThat(body.getJsonArray("checks").encode()).contains("postgres").contains("redis");

            HttpResponse<Buffer> metrics = get(node.httpPort(), "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.bodyAsString()).contains("jvm_memory_used_bytes").contains("vertx_http_server");
        }
    }

    @Test
    void keepsRowsWrittenBeforeARestartOnTheSameDataFolder() throws Exception {
        String installation;
        try (ParleyNode node = ParleyNode.start(config(data, Map.of()))) {
            installation = node.installationId();
            Pool pool = PgBuilder.pool().connectingTo(node.postgres()).using(vertx).build();
            await(pool.preparedQuery("INSERT INTO node_meta (key, value) VALUES ($1, $2)")
                    .execute(Tuple.of("restart-probe", "written before")));
            await(pool.close());
        }
        try (ParleyNode node = ParleyNode.start(config(data, Map.of()))) {
            assertThat(node.installationId()).isEqualTo(installation);
            Pool pool = PgBuilder.pool().connectingTo(node.postgres()).using(vertx).build();
            String value = await(pool.preparedQuery("SELECT value FROM node_meta WHERE key = $1")
                    .execute(Tuple.of("restart-probe"))).iterator().next().getString("value");
            assertThat(value).isEqualTo("written before");
            await(pool.close());
        }
    }

    @Test
    void refusesADataFolderInUseByAnotherNode() {
        try (ParleyNode first = ParleyNode.start(config(data, Map.of()))) {
            assertThatThrownBy(() -> ParleyNode.start(config(data, Map.of())))
                    .isInstanceOf(NodeStartException.class)
                    .hasMessageContaining("data folder " + data)
                    .hasMessageContaining("is in use by another Parley node");
            assertThat(first.installationId()).isNotBlank();
        }
    }

    @Test
    void refusesAPortInUseAndStopsWhatItStarted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> ParleyNode.start(config(data, Map.of("http.port", String.valueOf(port)))))
                    .isInstanceOf(NodeStartException.class)
                    .hasMessageContaining("HTTP port " + port)
                    .hasMessageContaining("is in use");
        }
        assertThat(NodeProcess.pidIn(data.resolve("redis/redis.pid")).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(NodeProcess.pidIn(data.resolve("postgres/postmaster.pid"))).isEmpty();
        try (ParleyNode again = ParleyNode.start(config(data, Map.of()))) {
            assertThat(again.httpPort()).isPositive();
        }
    }

    @Test
    void reportsUnhealthyWhenRedisIsUnreachable() throws Exception {
        int closedPort = EmbeddedStores.freePort();
        try (ParleyNode node = ParleyNode.start(config(data, Map.of("redis.url", "redis://127.0.0.1:" + closedPort)))) {
            HttpResponse<Buffer> health = get(node.httpPort(), "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.bodyAsString()).contains("\"id\":\"redis\",\"status\":\"DOWN\"")
                    .contains("\"id\":\"postgres\",\"status\":\"UP\"");
        }
    }

    @Test
    void refusesToStartWhenTheConfiguredPostgresIsUnreachable() {
        int closedPort = EmbeddedStores.freePort();
        assertThatThrownBy(() -> ParleyNode.start(config(data,
                Map.of("postgres.url", "postgresql://parley:secret@127.0.0.1:" + closedPort + "/parley"))))
                .isInstanceOf(NodeStartException.class)
                .hasMessageContaining("cannot migrate PostgreSQL at 127.0.0.1:" + closedPort);
    }

    static NodeConfig config(Path data, Map<String, String> extra) {
        Map<String, String> flags = new java.util.HashMap<>(Map.of("data.dir", data.toString(), "http.port", "0",
                "http.host", "127.0.0.1"));
        flags.putAll(extra);
        return NodeConfig.load(Optional.empty(), Map.of(), flags);
    }

    private HttpResponse<Buffer> get(int port, String path) throws Exception {
        return await(http.get(port, "127.0.0.1", path).send());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
