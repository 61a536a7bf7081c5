package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /metrics of a real node: Parley's meters are there in Prometheus text and move under load. */
class MetricsTest {
    private static final int MESSAGES = 40;
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void exposesEveryOperationsMeterInPrometheusText() throws Exception {
        String text = scrape();
        assertThat(text).contains("# TYPE parley_connections gauge", "# TYPE parley_inbox_depth gauge",
                "# TYPE parley_send_latency_seconds histogram", "parley_turn_allocations",
                "parley_turn_relayed_bytes_total{direction=\"to_peer\"}", "parley_deliveries_total{to=\"connected\"}",
                "parley_push_wakes_total{outcome=\"sent\"}", "vertx_pool_in_use", "vertx_http_server_active_connections");
    }

    @Test
    void sendsDeliveriesLatencyConnectionsAndInboxDepthMoveUnderLoad() throws Exception {
        String before = scrape();
        Device alice = new Device(vertx, Users.register(vertx, Users.uniqueName("alice")));
        Device bob = new Device(vertx, Users.register(vertx, Users.uniqueName("bob")));
        Await.until(() -> value(scrapeQuietly(), "parley_connections") >= 2, "two more connections");
        List<io.vertx.core.Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sends.add(alice.messenger.send(bob.user(), ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Await.result(io.vertx.core.Future.all(sends));
        Await.until(() -> bob.texts().size() == MESSAGES, "bob to get every message");
        String after = scrape();

        assertThat(value(after, "parley_messages_sent_total{group=\"false\",kind=\"message\"}")
                - value(before, "parley_messages_sent_total{group=\"false\",kind=\"message\"}")).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(value(after, "parley_send_latency_seconds_count") - value(before, "parley_send_latency_seconds_count"))
                .isGreaterThanOrEqualTo(MESSAGES);
        assertThat(value(after, "parley_send_latency_seconds_bucket{le=\"+Inf\"}")).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(value(after, "parley_deliveries_total{to=\"connected\"}")
                - value(before, "parley_deliveries_total{to=\"connected\"}")).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(value(after, "parley_inbox_stored_total") - value(before, "parley_inbox_stored_total"))
                .isGreaterThanOrEqualTo(MESSAGES);

        bob.close();
        for (int i = 0; i < 5; i++) {
            Await.result(alice.messenger.send(bob.user(), ("offline" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Await.until(() -> value(scrapeQuietly(), "parley_inbox_depth") >= 5, "the inbox depth to count bob's waiting envelopes");
        assertThat(value(scrape(), "parley_deliveries_total{to=\"offline\"}")
                - value(before, "parley_deliveries_total{to=\"offline\"}")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void theGrafanaDashboardQueriesOnlyMetricsAndLabelsTheNodeExposes() throws Exception {
        String text = scrape();
        io.vertx.core.json.JsonObject dashboard = new io.vertx.core.json.JsonObject(java.nio.file.Files.readString(
                java.nio.file.Path.of("..", "docker", "grafana-dashboard.json")));
        List<String> exprs = new ArrayList<>();
        dashboard.getJsonArray("panels").forEach(p -> ((io.vertx.core.json.JsonObject) p).getJsonArray("targets")
                .forEach(t -> exprs.add(((io.vertx.core.json.JsonObject) t).getString("expr"))));
        assertThat(exprs).hasSizeGreaterThan(10);
        for (String expr : exprs) {
            Matcher metric = Pattern.compile("\\b((?:parley|vertx)_[a-z_]+)").matcher(expr);
            assertThat(metric.find()).as(expr).isTrue();
            Matcher line = Pattern.compile("(?m)^" + metric.group(1) + "(\\{[^}]*\\})? ").matcher(text);
            assertThat(line.find()).as("%s is exposed", metric.group(1)).isTrue();
            Matcher by = Pattern.compile("by \\(([a-z_, ]+)\\)").matcher(expr);
            if (by.find() && line.group(1) != null) {
                for (String label : by.group(1).split(",\\s*")) {
                    if (!label.equals("instance") && !label.equals("le")) {
                        assertThat(line.group(1)).as("label %s of %s", label, metric.group(1)).contains(label + "=");
                    }
                }
            }
        }
    }

    /** The sum of a sample's values over every line that starts with this name (and label set, if given). */
    static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + "(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += m.group(2).equals("NaN") ? 0 : Double.parseDouble(m.group(2));
        }
        return sum;
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = TestHttp.CLIENT.send(TestHttp.request("http://127.0.0.1:"
                + TestNode.get().httpPort() + "/metrics").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private String scrapeQuietly() {
        try {
            return scrape();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
