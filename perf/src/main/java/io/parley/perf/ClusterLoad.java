package io.parley.perf;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A cluster of node processes under load, from one client JVM. Phases, each optional:
 * <ul>
 * <li>{@code throughput}: pairs with the sender on node i and the recipient on node i+1 (the same
 * node when there is one), each sender keeping a window of sends in flight: persisted messages/s.
 * <li>{@code delivery}: the cost of a delivery to a device on another node against one on the
 * sender's node, in the same run: alternating blocks of paced single sends, send→deliver latency
 * and the CPU all nodes spent per message.
 * <li>{@code connect}: N idle authenticated devices spread over the nodes: connects/s and what each
 * node's heap and resident memory grew by, per device.
 * </ul>
 * Prints figures and a final JSON line.
 */
public final class ClusterLoad {
    private static final int PAYLOAD_BYTES = 160;
    private static final int CONNECT_PARALLEL = 500;
    private static final int DELIVERY_BLOCKS = 4;

    private final Vertx vertx;
    private final List<ServerAddress> servers;
    private final List<Long> pids;
    private final BenchNode registrar;
    private final long tag = System.currentTimeMillis() % 1_000_000;

    private ClusterLoad(Vertx vertx, List<ServerAddress> servers, List<Long> pids, Path codes) {
        this.vertx = vertx;
        this.servers = servers;
        this.pids = pids;
        this.registrar = new BenchNode(vertx, servers.get(0), codes);
    }

    public static void main(String[] args) {
        try {
            Options o = Options.parse(args);
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            ClusterLoad load = new ClusterLoad(vertx, o.servers(), o.pids(), Path.of(o.codes()));
            StringBuilder json = new StringBuilder("{\"scenario\":\"cluster\",\"nodes\":" + o.servers().size());
            if (o.phases().contains("throughput")) {
                json.append(load.throughput(o.pairs(), o.window(), o.seconds()));
            }
            if (o.phases().contains("delivery")) {
                json.append(load.delivery(o.rate(), o.seconds()));
            }
            if (o.phases().contains("connect")) {
                json.append(load.connect(o.devices(), o.sources()));
            }
            System.out.println(json.append('}'));
            System.exit(0);
        } catch (Exception e) {
            System.err.println("cluster benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    // --- throughput ---

    private String throughput(int pairs, int window, int seconds) throws Exception {
        List<DeviceCredentials> senders = registrar.register("cts" + tag, pairs);
        List<DeviceCredentials> recipients = registrar.register("ctr" + tag, pairs);
        AtomicLong delivered = new AtomicLong();
        List<Sender> all = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ParleyClient to = ParleyClient.create(vertx, servers.get((i + 1) % servers.size()), recipients.get(i));
            new Messenger(to).onEnvelope(e -> delivered.incrementAndGet());
            BenchNode.await(to.connect());
            all.add(new Sender(BenchNode.await(ParleyClient.connect(vertx, servers.get(i % servers.size()), senders.get(i))),
                    Ids.uuid(recipients.get(i).getUserId(), "user_id")));
        }
        runWindowed(all, window, 5, new AtomicLong());
        AtomicLong sent = new AtomicLong();
        long deliveredBefore = delivered.get();
        double elapsed = runWindowed(all, window, seconds, sent);
        double perSecond = sent.get() / elapsed;
        System.out.printf("throughput, %d node(s): %.0f persisted messages/s (%d pairs x window %d, %d s); "
                + "delivered %.0f/s%n", servers.size(), perSecond, pairs, window, seconds,
                (delivered.get() - deliveredBefore) / elapsed);
        return String.format(",\"pairs\":%d,\"window\":%d,\"persisted_per_s\":%.0f", pairs, window, perSecond);
    }

    private record Sender(ParleyClient client, UUID recipient) {
    }

    private double runWindowed(List<Sender> all, int window, int seconds, AtomicLong sent) throws Exception {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Future<Void>> loops = new ArrayList<>();
        for (Sender s : all) {
            for (int w = 0; w < window; w++) {
                loops.add(s.client().onContext(() -> sendUntil(s, end, sent)));
            }
        }
        BenchNode.await(Future.all(loops));
        return (System.nanoTime() - start) / 1e9;
    }

    private Future<Void> sendUntil(Sender s, long end, AtomicLong sent) {
        if (System.nanoTime() >= end) {
            return Future.succeededFuture();
        }
        return s.client().send(send(s.recipient())).compose(r -> {
            sent.incrementAndGet();
            return sendUntil(s, end, sent);
        });
    }

    private static Request.Builder send(UUID recipient) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES).putLong(System.nanoTime());
        return Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(Ids.bytes(recipient))
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(recipient)).setDeviceId(1)
                        .setContent(ByteString.copyFrom(payload.array()))));
    }

    // --- same-node against cross-node delivery ---

    private String delivery(int rate, int seconds) throws Exception {
        if (servers.size() < 2) {
            throw new IllegalArgumentException("the delivery phase needs at least 2 nodes");
        }
        List<DeviceCredentials> devices = registrar.register("cdl" + tag, 3);
        Recorder latency = new Recorder(3);
        // The sender on node 0; one recipient there, one on node 1.
        ParleyClient sender = BenchNode.await(ParleyClient.connect(vertx, servers.get(0), devices.get(0)));
        UUID near = recipient(devices.get(1), servers.get(0), latency);
        UUID far = recipient(devices.get(2), servers.get(1), latency);
        Histogram[] latencies = {new Histogram(3), new Histogram(3)};
        double[] cpuMicros = new double[2];
        long[] counts = new long[2];
        int blockSeconds = Math.max(1, seconds / DELIVERY_BLOCKS);
        paced(sender, near, rate, 2, new AtomicLong());
        for (int block = 0; block < DELIVERY_BLOCKS; block++) {
            int kind = block % 2;
            latency.reset();
            long cpuBefore = clusterCpuNanos();
            AtomicLong sent = new AtomicLong();
            paced(sender, kind == 0 ? near : far, rate, blockSeconds, sent);
            // Wait for the last deliveries, then take the CPU of the whole block.
            Thread.sleep(500);
            cpuMicros[kind] += (clusterCpuNanos() - cpuBefore) / 1_000.0;
            counts[kind] += sent.get();
            latencies[kind].add(latency.getIntervalHistogram());
        }
        String[] names = {"same node", "cross node"};
        for (int k = 0; k < 2; k++) {
            System.out.printf("%s delivery at %d msg/s: p50 %.2f ms, p99 %.2f ms; cluster CPU %.0f µs per message (%d)%n",
                    names[k], rate, latencies[k].getValueAtPercentile(50) / 1000.0,
                    latencies[k].getValueAtPercentile(99) / 1000.0, cpuMicros[k] / counts[k], counts[k]);
        }
        double cpuRatio = (cpuMicros[1] / counts[1]) / (cpuMicros[0] / counts[0]);
        double p50Ratio = (double) latencies[1].getValueAtPercentile(50) / latencies[0].getValueAtPercentile(50);
        System.out.printf("cross-node / same-node: CPU per message %.2fx, p50 latency %.2fx%n", cpuRatio, p50Ratio);
        return String.format(",\"delivery_rate\":%d,\"same_p50_ms\":%.2f,\"same_p99_ms\":%.2f,\"cross_p50_ms\":%.2f,"
                        + "\"cross_p99_ms\":%.2f,\"same_cpu_us\":%.0f,\"cross_cpu_us\":%.0f,\"cpu_ratio\":%.2f,"
                        + "\"p50_ratio\":%.2f", rate, latencies[0].getValueAtPercentile(50) / 1000.0,
                latencies[0].getValueAtPercentile(99) / 1000.0, latencies[1].getValueAtPercentile(50) / 1000.0,
                latencies[1].getValueAtPercentile(99) / 1000.0, cpuMicros[0] / counts[0], cpuMicros[1] / counts[1],
                cpuRatio, p50Ratio);
    }

    private UUID recipient(DeviceCredentials device, ServerAddress server, Recorder latency) throws Exception {
        ParleyClient client = ParleyClient.create(vertx, server, device);
        new Messenger(client).onEnvelope(e -> latency.recordValue(
                Math.max(0, (System.nanoTime() - ByteBuffer.wrap(e.getContent().toByteArray()).getLong()) / 1_000)));
        BenchNode.await(client.connect());
        return Ids.uuid(device.getUserId(), "user_id");
    }

    /** One send at a time at a fixed rate for a while. */
    private void paced(ParleyClient sender, UUID to, int rate, int seconds, AtomicLong sent) throws Exception {
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        Promise<Void> done = Promise.promise();
        sender.onContext(() -> {
            pacedNext(sender, to, rate, start, total, sent, done);
            return Future.succeededFuture();
        });
        BenchNode.await(done.future());
    }

    private void pacedNext(ParleyClient sender, UUID to, int rate, long start, long total, AtomicLong sent,
            Promise<Void> done) {
        if (sent.get() >= total) {
            done.tryComplete();
            return;
        }
        sender.send(send(to)).onComplete(r -> {
            long count = sent.incrementAndGet();
            long waitMs = (start + count * 1_000_000_000L / rate - System.nanoTime()) / 1_000_000;
            if (waitMs <= 0) {
                pacedNext(sender, to, rate, start, total, sent, done);
            } else {
                vertx.setTimer(waitMs, t -> pacedNext(sender, to, rate, start, total, sent, done));
            }
        });
    }

    private long clusterCpuNanos() {
        return pids.stream().mapToLong(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .map(Duration::toNanos).orElseThrow(() -> new IllegalStateException("no CPU time for node " + pid)))
                .sum();
    }

    // --- connections ---

    private String connect(int devices, int sources) throws Exception {
        long registerStart = System.nanoTime();
        List<DeviceCredentials> all = registrar.register("cid" + tag, devices);
        double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
        List<NodeProbe> probes = new ArrayList<>();
        List<IdleConnections> idle = new ArrayList<>();
        for (int n = 0; n < servers.size(); n++) {
            probes.add(new NodeProbe(vertx, servers.get(n), pids.get(n)));
            IdleConnections connections = new IdleConnections(vertx, servers.get(n), sources);
            connections.heartbeats(30);
            idle.add(connections);
        }
        List<NodeProbe.Memory> before = new ArrayList<>();
        for (NodeProbe probe : probes) {
            before.add(probe.memoryAfterGc());
        }
        long start = System.nanoTime();
        for (int from = 0; from < all.size(); from += CONNECT_PARALLEL) {
            List<Future<Void>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(all.size(), from + CONNECT_PARALLEL); i++) {
                batch.add(idle.get(i % servers.size()).open(all.get(i), i / servers.size()));
            }
            BenchNode.await(Future.join(batch).otherwiseEmpty());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int held = idle.stream().mapToInt(IdleConnections::held).sum();
        long heap = 0;
        long rss = 0;
        for (int n = 0; n < probes.size(); n++) {
            NodeProbe.Memory after = probes.get(n).memoryAfterGc();
            long heapGrowth = after.heapBytes() - before.get(n).heapBytes();
            long rssGrowth = after.rssBytes() - before.get(n).rssBytes();
            int here = idle.get(n).held();
            System.out.printf("node %d: %d devices, heap +%.1f MiB (%.0f B/device), resident +%.1f MiB (%.0f B/device)%n",
                    n + 1, here, heapGrowth / 1048576.0, (double) heapGrowth / Math.max(1, here), rssGrowth / 1048576.0,
                    (double) rssGrowth / Math.max(1, here));
            heap += heapGrowth;
            rss += rssGrowth;
        }
        int refused = idle.stream().mapToInt(c -> c.refused.get()).sum();
        System.out.printf("registered %d devices in %.1f s; connected %d over %d nodes in %.1f s (%.0f connects/s), "
                + "%d refused; cluster-wide per device: heap %.0f B, resident %.0f B%n", devices, registerSeconds, held,
                servers.size(), seconds, held / seconds, refused, (double) heap / held, (double) rss / held);
        return String.format(",\"devices\":%d,\"held\":%d,\"refused\":%d,\"connects_per_s\":%.0f,"
                + "\"heap_bytes_per_device\":%.0f,\"rss_bytes_per_device\":%.0f", devices, held, refused, held / seconds,
                (double) heap / held, (double) rss / held);
    }

    record Options(List<ServerAddress> servers, List<Long> pids, String codes, List<String> phases, int pairs, int window,
            int seconds, int rate, int devices, int sources) {
        static Options parse(String[] args) {
            Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(Arrays.stream(m.get("servers").split(",")).map(ServerAddress::parse).toList(),
                    Arrays.stream(m.get("pids").split(",")).map(Long::parseLong).toList(), m.get("codes"),
                    List.of(m.getOrDefault("phases", "throughput,delivery,connect").split(",")),
                    Integer.parseInt(m.getOrDefault("pairs", "60")), Integer.parseInt(m.getOrDefault("window", "8")),
                    Integer.parseInt(m.getOrDefault("seconds", "20")), Integer.parseInt(m.getOrDefault("rate", "200")),
                    Integer.parseInt(m.getOrDefault("devices", "10000")), Integer.parseInt(m.getOrDefault("sources", "4")));
        }
    }
}
