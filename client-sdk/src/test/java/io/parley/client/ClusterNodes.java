package io.parley.client;

import io.parley.node.NodeProcess;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hazelcast cluster of node processes on loopback, as an operator runs one: the first node
 * starts the embedded PostgreSQL and Redis, the others use those (unless the test gives servers of
 * its own); each has its own data folder and keeps its HTTP and cluster ports across restarts.
 * Verification codes of every node go to one shared file.
 */
final class ClusterNodes implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern POSTGRES = Pattern.compile("embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern REDIS = Pattern.compile("embedded Redis on 127\\.0\\.0\\.1:(\\d+)");

    private final Path root;
    private final Path codes;
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final NodeProcess[] processes;
    private final ServerAddress[] addresses;
    private final Map<String, String> environment = new HashMap<>();

    ClusterNodes(Path root, int size) throws IOException {
        this(root, size, Map.of());
    }

    /** With extra PARLEY_* variables for every node. */
    ClusterNodes(Path root, int size, Map<String, String> extra) throws IOException {
        this.root = root;
        this.codes = root.resolve("verification-codes.txt");
        this.processes = new NodeProcess[size];
        this.addresses = new ServerAddress[size];
        for (int i = 0; i < size; i++) {
            clusterPorts.add(freePort());
            httpPorts.add(freePort());
        }
        environment.putAll(Map.of("PARLEY_ACCOUNTS_VERIFICATION_SENDER", "file",
                "PARLEY_ACCOUNTS_VERIFICATION_FILE", codes.toString(),
                "PARLEY_LIMITS_IP_BURST", "10000", "PARLEY_LIMITS_USER_BURST", "10000", "PARLEY_TURN_PORT", "0"));
        environment.putAll(extra);
    }

    /**
     * Starts node i (0-based) and waits until it serves; without PARLEY_POSTGRES_URL and
     * PARLEY_REDIS_URL among the extra variables, the first one must start first.
     */
    ServerAddress start(int i) throws Exception {
        List<String> members = new ArrayList<>();
        for (int j = 0; j < clusterPorts.size(); j++) {
            if (j != i) {
                members.add("127.0.0.1:" + clusterPorts.get(j));
            }
        }
        NodeProcess process = NodeProcess.start(environment, "start", "--data", root.resolve("node" + i).toString(),
                "--port", httpPorts.get(i).toString(), "--cluster", "--cluster-port", clusterPorts.get(i).toString(),
                "--members", String.join(",", members));
        processes[i] = process;
        ServerAddress address = new ServerAddress("127.0.0.1", process.awaitReady(START), false);
        if (i == 0 && !environment.containsKey("PARLEY_POSTGRES_URL")) {
            environment.put("PARLEY_POSTGRES_URL", "postgresql://postgres:postgres@127.0.0.1:"
                    + find(POSTGRES, process.output()) + "/postgres");
            environment.put("PARLEY_REDIS_URL", "redis://127.0.0.1:" + find(REDIS, process.output()));
        }
        addresses[i] = address;
        return address;
    }

    /** Stops node i with SIGTERM, as an operator's rolling restart does, and starts it again on its ports. */
    ServerAddress restart(int i) throws Exception {
        NodeProcess process = processes[i];
        process.signal("TERM");
        try {
            process.awaitExit(Duration.ofSeconds(30));
        } finally {
            process.close();
        }
        return start(i);
    }

    ServerAddress address(int i) {
        return addresses[i];
    }

    /** Every node's address, node i first: a client's server list with node i as its home. */
    List<ServerAddress> addressesFrom(int i) {
        List<ServerAddress> list = new ArrayList<>();
        for (int k = 0; k < addresses.length; k++) {
            list.add(addresses[(i + k) % addresses.length]);
        }
        return list;
    }

    NodeProcess process(int i) {
        return processes[i];
    }

    /** Registers a user through node i's HTTP API, reading the code from the shared file. */
    DeviceCredentials register(Vertx vertx, int i, String prefix) {
        return CodeFile.register(vertx, address(i), codes, prefix);
    }

    private static String find(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new AssertionError("the first node did not say where its embedded servers are:\n" + output);
        }
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Redis the nodes share (node 0's embedded one unless the test gave its own). */
    String redisUrl() {
        return environment.get("PARLEY_REDIS_URL");
    }

    /** Stops the nodes with SIGTERM, the first (which holds PostgreSQL and Redis) last. */
    @Override
    public void close() throws Exception {
        for (int i = processes.length - 1; i >= 0; i--) {
            NodeProcess process = processes[i];
            if (process == null) {
                continue;
            }
            if (!process.isAlive()) {
                process.close();
                continue;
            }
            process.signal("TERM");
            try {
                process.awaitExit(Duration.ofSeconds(30));
            } finally {
                process.close();
            }
        }
    }
}
