package io.parley.turn;

import io.parley.bus.RestCredentials;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Probes for perf/scenarios/turn.sh, against any TURN server with REST credentials (Parley's or coturn):
 * {@code latency} sends timestamped ChannelData through one channel to a peer in this process and
 * reports one-way relay latency percentiles; {@code allocations} opens and holds many allocations, then
 * reads the server's heap after a full GC with jcmd. Each prints one JSON line.
 */
public final class TurnBench {
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final int CLIENTS_PER_USER = 5;
    private static final int ALLOCATE_ATTEMPTS = 3;
    private static final int PEER_BUFFER_BYTES = 4 * 1024 * 1024;

    private TurnBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] hostPort = flags.getOrDefault("server", "127.0.0.1:3478").split(":");
        InetSocketAddress server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        RestCredentials credentials = new RestCredentials(flags.getOrDefault("secret", "parley-turn-secret-for-tests"));
        String realm = flags.getOrDefault("realm", "parley");
        String mode = args.length > 0 ? args[0] : "latency";
        String json = switch (mode) {
            case "latency" -> latency(server, credentials, realm, Integer.parseInt(flags.getOrDefault("packets", "20000")),
                    Integer.parseInt(flags.getOrDefault("rate", "5000")), Integer.parseInt(flags.getOrDefault("length", "200")));
            case "allocations" -> allocations(server, credentials, realm, Integer.parseInt(flags.getOrDefault("count", "10000")),
                    flags.get("server-pid"));
            default -> throw new IllegalArgumentException("modes: latency, allocations");
        };
        System.out.println(json); // the probe's one result line for the scenario script
    }

    private static TurnClient client(InetSocketAddress server, RestCredentials credentials, String realm, String user)
            throws IOException {
        RestCredentials.Credential c = credentials.issue(user, Instant.now().plusSeconds(3600));
        return new TurnClient(server, realm).as(c.username(), c.password());
    }

    static String latency(InetSocketAddress server, RestCredentials credentials, String realm, int packets, int rate,
            int length) throws Exception {
        long[] latencies = new long[packets];
        Arrays.fill(latencies, -1);
        try (TurnClient client = client(server, credentials, realm, "latency-probe");
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.allocate();
            Object bound = client.channelBind(0x4000, (InetSocketAddress) peer.getLocalSocketAddress());
            if (TurnClient.errorCode((org.ice4j.message.Message) bound) != 0) {
                throw new IllegalStateException("ChannelBind refused: " + TurnClient.errorCode((org.ice4j.message.Message) bound));
            }
            peer.setSoTimeout(100);
            peer.setReceiveBufferSize(PEER_BUFFER_BYTES);
            int[] received = {0};
            Thread receiver = new Thread(() -> receive(peer, latencies, received), "latency-peer");
            receiver.start();
            byte[] payload = new byte[Math.max(12, length)];
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int seq = 0; seq < packets; seq++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait(); // pacing on the probe's own thread
                }
                next += interval;
                ByteBuffer.wrap(payload).putInt(seq).putLong(System.nanoTime());
                client.send(TurnClient.channelData(0x4000, payload));
            }
            receiver.join(TimeUnit.NANOSECONDS.toMillis(DRAIN_NANOS) + 1000);
            client.refresh(0); // frees the 5-tuple for whoever gets this local port next
            long[] seen = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
            if (seen.length == 0) {
                throw new IllegalStateException("no packet reached the peer");
            }
            return String.format("{\"sent\":%d,\"received\":%d,\"rate\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,"
                    + "\"max_us\":%.1f}", packets, seen.length, rate, percentile(seen, 0.50), percentile(seen, 0.99),
                    percentile(seen, 0.999), seen[seen.length - 1] / 1000.0);
        }
    }

    private static void receive(DatagramSocket peer, long[] latencies, int[] received) {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        long quietSince = System.nanoTime();
        while (received[0] < latencies.length && System.nanoTime() - quietSince < DRAIN_NANOS) {
            try {
                peer.receive(packet);
            } catch (IOException timeout) {
                continue;
            }
            long now = System.nanoTime();
            quietSince = now;
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, packet.getLength());
            int seq = b.getInt();
            if (seq >= 0 && seq < latencies.length && latencies[seq] < 0) {
                latencies[seq] = now - b.getLong();
                received[0]++;
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    static String allocations(InetSocketAddress server, RestCredentials credentials, String realm, int count, String pid)
            throws Exception {
        List<TurnClient> held = new ArrayList<>(count);
        long began = System.nanoTime();
        String nonce = null;
        try {
            for (int i = 0; i < count; i++) {
                TurnClient client = allocateWithRetries(server, credentials, realm, "holder-" + (i / CLIENTS_PER_USER),
                        nonce, i, count);
                held.add(client);
                nonce = client.nonce;
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            int alive = 0;
            for (int i = 0; i < count; i += Math.max(1, count / 100)) {
                alive += TurnClient.errorCode(held.get(i).refresh(600)) == 0 ? 1 : 0;
            }
            long heapKb = pid == null ? -1 : usedHeapAfterGc(pid);
            long rssKb = pid == null ? -1 : residentKb(pid);
            return String.format("{\"allocations\":%d,\"seconds\":%.2f,\"per_second\":%.0f,\"refreshed_sample\":%d,"
                    + "\"heap_after_gc_mib\":%.1f,\"rss_mib\":%.1f}", held.size(), seconds, held.size() / seconds, alive,
                    heapKb / 1024.0, rssKb / 1024.0);
        } finally {
            for (TurnClient client : held) {
                try {
                    client.refresh(0);
                } catch (Exception e) {
                    // best effort: the allocation then expires on its own
                }
                client.close();
            }
        }
    }

    /**
     * A lost datagram (a busy machine drops some) is retried; so is a local port that still names an
     * allocation of an earlier client (437: its 5-tuple is taken), with a new socket. Other refusals fail.
     */
    private static TurnClient allocateWithRetries(InetSocketAddress server, RestCredentials credentials, String realm,
            String user, String nonce, int index, int count) throws Exception {
        for (int attempt = 1; ; attempt++) {
            TurnClient client = client(server, credentials, realm, user);
            client.nonce = nonce; // nonces are per client IP: one serves every socket of this probe
            try {
                client.allocate();
                return client;
            } catch (IllegalStateException e) {
                client.close();
                String m = e.getMessage();
                boolean retry = m.startsWith("no answer") || m.contains(" 437 ");
                if (!retry || attempt == ALLOCATE_ATTEMPTS) {
                    throw new IllegalStateException("allocation " + index + " of " + count + ": " + m, e);
                }
            }
        }
    }

    private static long usedHeapAfterGc(String pid) throws IOException, InterruptedException {
        run("jcmd", pid, "GC.run");
        Matcher used = HEAP_USED.matcher(run("jcmd", pid, "GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) : -1;
    }

    private static long residentKb(String pid) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
