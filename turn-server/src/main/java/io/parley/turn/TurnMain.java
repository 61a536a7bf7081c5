package io.parley.turn;

import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Parley's TURN server alone (the benchmark and manual tests use it; the node runs it as the
 * {@code turn} role). Flags: --port, --host, --secret, --realm, --threads, --recv-batch,
 * --relay-ports MIN-MAX, --allow-peers CIDR[,CIDR], --user-bytes-per-second. Prints one
 * {@code TURN ready on PORT} line to standard error when it serves, and stops on SIGTERM.
 */
public final class TurnMain {
    private static final Logger LOG = LoggerFactory.getLogger(TurnMain.class);

    private static final long STATS_SECONDS = 10;

    private TurnMain() {
    }

    private static void logStats(TurnStats s) {
        LOG.info("allocations {}, relayed to peers {}, to clients {}, requests {}, dropped: malformed {}, unknown channel {}, "
                + "no permission {}, over quota {}; auth failures {}", s.allocations(), s.relayedToPeer(), s.relayedToClient(),
                s.requests(), s.malformed(), s.unknownChannel(), s.noPermission(), s.overQuota(), s.authFailures());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --flag value pairs, got " + Arrays.toString(args));
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        TurnConfig base = TurnConfig.loopback(flags.getOrDefault("secret", "parley-turn-secret-for-tests"));
        String[] ports = flags.getOrDefault("relay-ports", base.relayPortMin() + "-" + base.relayPortMax()).split("-");
        TurnConfig config = new TurnConfig(flags.getOrDefault("host", base.bindHost()),
                Integer.parseInt(flags.getOrDefault("port", String.valueOf(TurnConfig.DEFAULT_PORT))),
                flags.getOrDefault("relay-host", base.relayHost()), Integer.parseInt(ports[0]), Integer.parseInt(ports[1]),
                flags.getOrDefault("realm", base.realm()), base.secret(),
                List.of(flags.getOrDefault("allow-peers", "127.0.0.0/8").split(",")),
                Integer.parseInt(flags.getOrDefault("allocations-per-user", "100000")), base.maxAllocations(),
                Long.parseLong(flags.getOrDefault("user-bytes-per-second", "0")), base.authFailuresPerMinute(),
                base.credentialLifetime(), base.nonceLifetime(),
                Integer.parseInt(flags.getOrDefault("threads", "1")),
                Integer.parseInt(flags.getOrDefault("recv-batch", String.valueOf(base.recvBatch()))));
        TurnServer server = new TurnServer(config, Clock.systemUTC());
        int port = server.start().toCompletableFuture().join();
        java.util.concurrent.ScheduledExecutorService reporter = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "parley-turn-stats");
                    thread.setDaemon(true);
                    return thread;
                });
        reporter.scheduleAtFixedRate(() -> logStats(server.stats()), STATS_SECONDS, STATS_SECONDS,
                java.util.concurrent.TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            logStats(server.stats());
            server.stop().toCompletableFuture().join();
            stopped.countDown();
        }, "parley-turn-stop"));
        LOG.info("TURN ready on {} ({})", port, server.transportName());
        System.err.println("TURN ready on " + port + " (" + server.transportName() + ")"); // the scripts' cue
        stopped.await();
    }
}
