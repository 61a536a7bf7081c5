package io.parley.perf;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end encryption costs through a real node, measured on the client side: PQXDH session
 * set-up (bundle fetch, PQXDH, first encrypt and send), then encrypt+send of MESSAGES messages
 * with the recipient offline, then receive+decrypt of all of them when it connects. Rates are
 * per second of wall time and per second of this JVM's CPU time (one client core). Prints a
 * final JSON line.
 */
public final class SignalBench {
    private SignalBench() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.err.println("signal benchmark failed: " + e);
            System.exit(1);
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ServerAddress server = ServerAddress.parse(o.getOrDefault("server", "http://127.0.0.1:18091"));
        int messages = Integer.parseInt(o.getOrDefault("messages", "20000"));
        int setups = Integer.parseInt(o.getOrDefault("setups", "50"));
        int pipeline = Integer.parseInt(o.getOrDefault("pipeline", "1"));
        Path state = Files.createTempDirectory("parley-signal-bench");
        Vertx vertx = Vertx.vertx();
        BenchNode node = new BenchNode(vertx, server, Path.of(o.get("codes")));
        String run = Long.toString(System.currentTimeMillis(), 36);

        List<DeviceCredentials> users = node.register("sig" + run, setups + 2);
        SecureMessenger alice = open(vertx, server, users.get(0), state.resolve("alice"),
                new SecureMessenger.Options(100, 10_000, pipeline, true, true));
        List<SecureMessenger> peers = new ArrayList<>();
        for (int i = 2; i < users.size(); i++) {
            SecureMessenger peer = open(vertx, server, users.get(i), state.resolve("peer" + i), SecureMessenger.Options.defaults());
            peers.add(peer);
        }

        long setupStart = System.nanoTime();
        for (SecureMessenger peer : peers) {
            BenchNode.await(alice.send(user(peer), "first".getBytes(StandardCharsets.UTF_8)));
        }
        double setupMs = (System.nanoTime() - setupStart) / 1e6 / peers.size();
        System.out.printf("PQXDH session set-up + first send: %.2f ms each (%d new sessions, one at a time)%n", setupMs,
                peers.size());

        DeviceCredentials bobCredentials = users.get(1);
        AtomicInteger warmed = new AtomicInteger();
        SecureMessenger bob = open(vertx, server, bobCredentials, state.resolve("bob"), SecureMessenger.Options.defaults());
        bob.onMessage(m -> warmed.incrementAndGet());
        BenchNode.await(alice.send(user(bob), "warm".getBytes(StandardCharsets.UTF_8)));
        while (warmed.get() == 0) {
            Thread.sleep(5);
        }
        BenchNode.await(bob.messenger().flushAcks());
        close(bob);

        long cpu0 = cpu();
        long sendStart = System.nanoTime();
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            sends.add(alice.send(Ids.uuid(bobCredentials.getUserId(), "user_id"),
                    ("message " + i + " of the signal benchmark").getBytes(StandardCharsets.UTF_8)));
        }
        BenchNode.await(Future.all(sends));
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        double sendCpu = (cpu() - cpu0) / 1e9;
        System.out.printf("encrypt+send (%d in flight): %d messages in %.2f s = %.0f msg/s; client CPU %.2f s = %.0f msg per CPU-second%n",
                pipeline, messages, sendSeconds, messages / sendSeconds, sendCpu, messages / sendCpu);

        AtomicInteger decrypted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long cpu1 = cpu();
        long receiveStart = System.nanoTime();
        ParleyClient bobClient = ParleyClient.create(vertx, server, bobCredentials);
        SecureMessenger bobAgain = SecureMessenger.create(bobClient, state.resolve("bob"))
                .onMessage(m -> decrypted.incrementAndGet()).onDecryptionError(f -> failed.incrementAndGet());
        BenchNode.await(bobClient.connect());
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (decrypted.get() + failed.get() < messages && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double receiveSeconds = (System.nanoTime() - receiveStart) / 1e9;
        double receiveCpu = (cpu() - cpu1) / 1e9;
        System.out.printf("receive+decrypt: %d messages in %.2f s = %.0f msg/s; client CPU %.2f s = %.0f msg per CPU-second"
                + " (%d failed)%n", decrypted.get(), receiveSeconds, decrypted.get() / receiveSeconds, receiveCpu,
                decrypted.get() / receiveCpu, failed.get());
        long sessionBytes = bobAgain.store().loadSession(new org.signal.libsignal.protocol.SignalProtocolAddress(
                Ids.uuid(users.get(0).getUserId(), "user_id").toString(), 1)).serialize().length;
        System.out.println(new JsonObject().put("scenario", "signal").put("messages", messages).put("pipeline", pipeline)
                .put("session_setup_ms", round(setupMs))
                .put("encrypt_send_per_s", Math.round(messages / sendSeconds))
                .put("encrypt_send_per_cpu_s", Math.round(messages / sendCpu))
                .put("receive_decrypt_per_s", Math.round(decrypted.get() / receiveSeconds))
                .put("receive_decrypt_per_cpu_s", Math.round(decrypted.get() / receiveCpu))
                .put("decrypt_failures", failed.get()).put("session_record_bytes", sessionBytes).encode());
        BenchNode.await(bobAgain.messenger().flushAcks());
        vertx.close();
        return failed.get() == 0 && decrypted.get() == messages ? 0 : 1;
    }

    private static SecureMessenger open(Vertx vertx, ServerAddress server, DeviceCredentials credentials, Path state,
            SecureMessenger.Options options) throws Exception {
        ParleyClient client = ParleyClient.create(vertx, server, credentials);
        SecureMessenger secure = SecureMessenger.create(client, state, options);
        BenchNode.await(client.connect());
        BenchNode.await(secure.publishKeys());
        return secure;
    }

    private static UUID user(SecureMessenger messenger) {
        return messenger.self();
    }

    private static void close(SecureMessenger messenger) throws Exception {
        BenchNode.await(messenger.messenger().flushAcks());
        BenchNode.await(messenger.client().close());
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
