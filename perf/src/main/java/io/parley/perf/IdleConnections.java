package io.parley.perf;

import io.parley.client.ServerAddress;
import io.parley.proto.Authenticate;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Heartbeat;
import io.parley.proto.Request;
import io.parley.proto.ServerFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle authenticated connections: registers N devices, opens N WebSocket connections to the node
 * from several 127.0.0.x source addresses (each address has its own ephemeral ports), authenticates
 * each, keeps them alive with heartbeats for a while, and reports how many the node held and what
 * they cost it: heap (after a full GC, before and after) and resident memory per connection.
 */
public final class IdleConnections {
    private static final int CONNECT_PARALLEL = 500;
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final byte[] HEARTBEAT = ClientFrame.newBuilder()
            .setRequest(Request.newBuilder().setId(2).setHeartbeat(Heartbeat.getDefaultInstance())).build().toByteArray();

    private final Vertx vertx;
    private final ServerAddress server;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<WebSocket> open = new ArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    IdleConnections(Vertx vertx, ServerAddress server, int sources) {
        this.vertx = vertx;
        this.server = server;
        for (int i = 0; i < sources; i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (2 + i)).setMaxConnections(Integer.MAX_VALUE)
                    .setConnectTimeout((int) CONNECT_TIMEOUT_MS).setSsl(server.tls())));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ServerAddress server = ServerAddress.parse(o.server());
        NodeProbe node = new NodeProbe(vertx, server, o.nodePid());
        long tag = System.currentTimeMillis() % 1_000_000;

        long registerStart = System.nanoTime();
        List<DeviceCredentials> devices = new BenchNode(vertx, server, Path.of(o.codeFile())).register("idle" + tag,
                o.connections());
        double registerSeconds = (System.nanoTime() - registerStart) / 1e9;

        NodeProbe.Memory before = node.memoryAfterGc();
        java.util.Map<String, Long> classesBefore = o.histogram() ? node.classHistogram() : java.util.Map.of();
        IdleConnections load = new IdleConnections(vertx, server, o.sources());
        load.heartbeats(o.heartbeatSeconds());
        long connectStart = System.nanoTime();
        for (int from = 0; from < devices.size(); from += CONNECT_PARALLEL) {
            List<Future<Void>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(devices.size(), from + CONNECT_PARALLEL); i++) {
                batch.add(load.open(devices.get(i), i));
            }
            BenchNode.await(Future.join(batch).otherwiseEmpty());
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        int held = load.held();
        Thread.sleep(o.holdSeconds() * 1000L);
        int stillHeld = load.held();
        NodeProbe.Memory after = node.memoryAfterGc();
        if (o.histogram()) {
            System.out.print("node heap growth by class:\n" + NodeProbe.growth(classesBefore, node.classHistogram(),
                    Math.max(1, stillHeld), 30));
        }

        double heapPerConnection = stillHeld == 0 ? 0 : (double) (after.heapBytes() - before.heapBytes()) / stillHeld;
        double rssPerConnection = stillHeld == 0 ? 0 : (double) (after.rssBytes() - before.rssBytes()) / stillHeld;
        System.out.printf("registered %d devices in %.1f s; connected %d in %.1f s (%.0f connects/s), %d refused%n",
                devices.size(), registerSeconds, held, connectSeconds, held / connectSeconds, load.refused.get());
        System.out.printf("held after %d s of heartbeats: %d (%d closed by the server meanwhile)%n",
                o.holdSeconds(), stillHeld, load.closed.get());
        System.out.printf("node heap after full GC: %.1f MiB before, %.1f MiB after: %.0f bytes per connection%n",
                before.heapBytes() / 1048576.0, after.heapBytes() / 1048576.0, heapPerConnection);
        System.out.printf("node resident memory: %.1f MiB before, %.1f MiB after: %.0f bytes per connection%n",
                before.rssBytes() / 1048576.0, after.rssBytes() / 1048576.0, rssPerConnection);
        System.out.printf("connections a 1 GiB heap holds at this cost: %.0f%n",
                heapPerConnection <= 0 ? 0 : (1024.0 * 1048576 - before.heapBytes()) / heapPerConnection);
        System.out.printf("{\"scenario\":\"idle-connections\",\"requested\":%d,\"held\":%d,\"closed_by_server\":%d,"
                        + "\"refused\":%d,\"sources\":%d,\"connects_per_s\":%.0f,\"heap_bytes_per_connection\":%.0f,"
                        + "\"rss_bytes_per_connection\":%.0f,\"heap_before_mib\":%.1f,\"heap_after_mib\":%.1f}%n",
                o.connections(), stillHeld, load.closed.get(), load.refused.get(), o.sources(), held / connectSeconds,
                heapPerConnection, rssPerConnection, before.heapBytes() / 1048576.0, after.heapBytes() / 1048576.0);
        vertx.close();
        System.exit(0);
    }

    /** Connects and authenticates one device; a refusal is counted, not fatal. */
    Future<Void> open(DeviceCredentials device, int index) {
        Promise<Void> authenticated = Promise.promise();
        clients.get(index % clients.size()).connect(new WebSocketConnectOptions().setHost(server.host())
                        .setPort(server.port()).setURI("/v1/ws").setTimeout(CONNECT_TIMEOUT_MS))
                .onSuccess(ws -> {
                    ws.binaryMessageHandler(raw -> onFrame(ws, raw, authenticated));
                    ws.closeHandler(v -> {
                        if (!authenticated.tryFail("closed before authentication")) {
                            closed.incrementAndGet();
                        }
                    });
                    ws.writeBinaryMessage(Buffer.buffer(ClientFrame.newBuilder().setRequest(Request.newBuilder().setId(1)
                            .setAuthenticate(Authenticate.newBuilder().setUserId(device.getUserId())
                                    .setDeviceId(device.getDeviceId()).setPassword(device.getPassword()))).build()
                            .toByteArray()));
                })
                .onFailure(authenticated::tryFail);
        return authenticated.future().onFailure(e -> refused.incrementAndGet());
    }

    private void onFrame(WebSocket ws, Buffer raw, Promise<Void> authenticated) {
        if (authenticated.future().isComplete()) {
            return;
        }
        try {
            ServerFrame frame = ServerFrame.parseFrom(raw.getBytes());
            if (frame.hasResponse() && frame.getResponse().getId() == 1) {
                if (frame.getResponse().hasError()) {
                    authenticated.tryFail(frame.getResponse().getError().getMessage());
                    ws.close();
                } else {
                    synchronized (open) {
                        open.add(ws);
                    }
                    authenticated.tryComplete();
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            authenticated.tryFail(e);
        }
    }

    int held() {
        synchronized (open) {
            return (int) open.stream().filter(ws -> !ws.isClosed()).count();
        }
    }

    /**
     * One heartbeat per connection per period, spread evenly over it: slice k of the period beats
     * for every connection whose index is k modulo the number of slices, those opened later too.
     */
    void heartbeats(int periodSeconds) {
        int slices = 100;
        long sliceMs = periodSeconds * 1000L / slices;
        for (int s = 0; s < slices; s++) {
            int slice = s;
            vertx.setPeriodic(1 + slice * sliceMs, periodSeconds * 1000L, id -> {
                synchronized (open) {
                    for (int i = slice; i < open.size(); i += slices) {
                        WebSocket ws = open.get(i);
                        if (!ws.isClosed()) {
                            ws.writeBinaryMessage(Buffer.buffer(HEARTBEAT));
                        }
                    }
                }
            });
        }
    }

    record Options(String server, String codeFile, int connections, int sources, long nodePid, int heartbeatSeconds,
            int holdSeconds, boolean histogram) {
        static Options parse(String[] args) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(m.getOrDefault("server", "http://127.0.0.1:8080"), m.get("codes"),
                    Integer.parseInt(m.getOrDefault("connections", "19000")),
                    Integer.parseInt(m.getOrDefault("sources", "4")), Long.parseLong(m.get("node-pid")),
                    Integer.parseInt(m.getOrDefault("heartbeat-seconds", "30")),
                    Integer.parseInt(m.getOrDefault("hold-seconds", "60")),
                    Boolean.parseBoolean(m.getOrDefault("histogram", "false")));
        }
    }
}
