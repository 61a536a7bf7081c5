package io.parley.perf;

import io.parley.client.ServerAddress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What a node process costs: its heap in use right after a full GC (asked for with {@code jcmd},
 * read from the node's own {@code /metrics}) and its resident memory ({@code /proc/PID/status}).
 */
final class NodeProbe {
    private static final long JCMD_TIMEOUT_S = 60;

    record Memory(long heapBytes, long rssBytes) {
    }

    private final HttpClient http;
    private final ServerAddress server;
    private final long pid;

    NodeProbe(Vertx vertx, ServerAddress server, long pid) {
        this.http = vertx.createHttpClient();
        this.server = server;
        this.pid = pid;
    }

    Memory memoryAfterGc() throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
        String metrics = BenchNode.await(http.request(HttpMethod.GET, server.port(), server.host(), "/metrics")
                .compose(r -> r.send().compose(answer -> answer.body())).map(Object::toString));
        return new Memory(heapUsed(metrics), rss());
    }

    /** Bytes per class on the node's heap (live objects: jcmd forces a full GC first). */
    java.util.Map<String, Long> classHistogram() throws Exception {
        Process histogram = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true)
                .start();
        String text = new String(histogram.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!histogram.waitFor(JCMD_TIMEOUT_S, TimeUnit.SECONDS) || histogram.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed");
        }
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[0].endsWith(":")) {
                bytes.merge(cols[3], Long.parseLong(cols[2]), Long::sum);
            }
        }
        return bytes;
    }

    /** The classes whose bytes grew most between two histograms, with bytes per connection. */
    static String growth(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int connections, int top) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format("  %8.0f B/conn  %s%n", (double) e.getValue() / connections, e.getKey())));
        return out.toString();
    }

    /** Sums jvm_memory_used_bytes over the heap's pools. */
    static long heapUsed(String prometheusText) {
        double sum = 0;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (sum == 0) {
            throw new IllegalStateException("no heap figures in the node's /metrics");
        }
        return (long) sum;
    }

    private long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
