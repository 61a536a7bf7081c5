package io.parley.node;

import io.parley.accounts.AccountsConfig;
import io.parley.turn.TurnConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's configuration, built once from defaults, a JSON file, PARLEY_* variables and
 * command-line flags (in that order of precedence), validated in one place.
 */
public record NodeConfig(
        String httpHost,
        int httpPort,
        Path dataDir,
        Optional<String> postgresUrl,
        int postgresPoolSize,
        Optional<String> redisUrl,
        List<String> roles,
        Map<String, Integer> instances,
        Edge edge,
        Accounts accounts,
        int messagingSweepSeconds,
        int messagingCommitLingerMicros,
        int presenceSweepSeconds,
        int presenceOnlineTtlSeconds,
        Cluster cluster,
        TurnConfig turn,
        List<String> callsTurnUrls,
        io.parley.calls.CallLifecycleConfig calls,
        io.parley.media.MediaConfig media,
        io.parley.status.StatusConfig status,
        OpsSettings.Ops ops) {

    /** The edge's limits (see EdgeConfig in the sessions verticle). */
    public record Edge(int maxFrameBytes, int heartbeatSeconds, int idleTimeoutSeconds, int userPerSecond,
            int userBurst, int ipPerSecond, int ipBurst) {
    }

    /** How verification codes reach people: "log" (the node's log) or "file" (appended to a file). */
    public record Accounts(String verificationSender, Path verificationFile, AccountsConfig limits) {
    }

    /**
     * Membership of a Hazelcast cluster: off for a single node. {@code host} is the address this
     * node binds and tells the others for both Hazelcast ({@code port}) and the event bus
     * ({@code busPort}, 0 for any free port); {@code members} are the others' host:port; a member
     * that sends no heartbeat for {@code failureSeconds} is dropped (its devices reconnect elsewhere).
     */
    public record Cluster(boolean enabled, String name, String host, int port, int busPort, List<String> members,
            int failureSeconds) {
    }

    static final List<ConfigKey> KEYS = keys();

    /** Variables the launcher and logging read; they are not configuration keys. */
    private static final Set<String> PROCESS_VARIABLES = Set.of("PARLEY_JAVA_OPTS", "PARLEY_CLIENT_JAVA_OPTS",
            "PARLEY_LOG_LEVEL");

    public int instancesOf(String role) {
        return instances.getOrDefault(role, 1);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** A copy that listens on another port (tests and the launcher resolve port 0 to a free one). */
    public NodeConfig withHttpPort(int port) {
        return new NodeConfig(httpHost, port, dataDir, postgresUrl, postgresPoolSize, redisUrl, roles, instances, edge,
                accounts, messagingSweepSeconds, messagingCommitLingerMicros, presenceSweepSeconds, presenceOnlineTtlSeconds,
                cluster, turn,
                callsTurnUrls, calls, media, status, ops);
    }

    /** Builds the configuration; throws {@link ConfigException} naming the first bad or unknown key. */
    public static NodeConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, Object> values = new TreeMap<>();
        for (ConfigKey key : KEYS) {
            values.put(key.name(), key.defaultValue());
        }
        file.ifPresent(path -> flatten("", readJson(path), values, path));
        environment.forEach((variable, value) -> {
            if (variable.startsWith("PARLEY_") && !PROCESS_VARIABLES.contains(variable)) {
                ConfigKey key = KEYS.stream().filter(k -> k.environmentVariable().equals(variable)).findFirst()
                        .orElseThrow(() -> new ConfigException("unknown configuration variable '" + variable
                                + "' (see docs/configuration.md)"));
                values.put(key.name(), key.convert(value));
            }
        });
        flags.forEach((name, value) -> values.put(name, key(name).convert(value)));
        return validated(values);
    }

    public static NodeConfig defaults() {
        return load(Optional.empty(), Map.of(), Map.of());
    }

    private static JsonObject readJson(Path path) {
        try {
            return new JsonObject(Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + path + ": " + e.getMessage());
        } catch (DecodeException e) {
            throw new ConfigException("configuration file " + path + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Walks nested objects into dotted names; a name that is no key, and no prefix of one, is refused. */
    private static void flatten(String prefix, JsonObject json, Map<String, Object> values, Path file) {
        for (Map.Entry<String, Object> entry : json) {
            String name = prefix + entry.getKey();
            if (entry.getValue() instanceof JsonObject nested && KEYS.stream().noneMatch(k -> k.name().equals(name))) {
                if (KEYS.stream().noneMatch(k -> k.name().startsWith(name + "."))) {
                    throw new ConfigException(name, "is unknown (in " + file + "; see docs/configuration.md)");
                }
                flatten(name + ".", nested, values, file);
            } else {
                ConfigKey key = KEYS.stream().filter(k -> k.name().equals(name)).findFirst()
                        .orElseThrow(() -> new ConfigException(name, "is unknown (in " + file
                                + "; see docs/configuration.md)"));
                Object raw = entry.getValue() instanceof io.vertx.core.json.JsonArray array ? array.getList() : entry.getValue();
                values.put(name, key.convert(raw));
            }
        }
    }

    private static ConfigKey key(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(name, "is unknown (see docs/configuration.md)"));
    }

    @SuppressWarnings("unchecked")
    private static NodeConfig validated(Map<String, Object> v) {
        int port = (Integer) v.get("http.port");
        if (port < 0 || port > 65535) {
            throw new ConfigException("http.port", "must be between 0 and 65535, got " + port);
        }
        String host = (String) v.get("http.host");
        if (host.isBlank()) {
            throw new ConfigException("http.host", "must not be empty");
        }
        String dataDir = (String) v.get("data.dir");
        if (dataDir.isBlank()) {
            throw new ConfigException("data.dir", "must not be empty");
        }
        int poolSize = (Integer) v.get("postgres.poolSize");
        if (poolSize < 1 || poolSize > 256) {
            throw new ConfigException("postgres.poolSize", "must be between 1 and 256, got " + poolSize);
        }
        String postgresUrl = (String) v.get("postgres.url");
        if (!postgresUrl.isEmpty() && !postgresUrl.matches("postgres(ql)?://.+")) {
            throw new ConfigException("postgres.url", "must look like postgresql://user:password@host:port/database");
        }
        String redisUrl = (String) v.get("redis.url");
        if (!redisUrl.isEmpty() && !redisUrl.matches("rediss?://.+")) {
            throw new ConfigException("redis.url", "must look like redis://host:port");
        }
        List<String> roles = (List<String>) v.get("roles");
        for (String role : roles) {
            if (!Roles.ALL.contains(role)) {
                throw new ConfigException("roles", "names an unknown role '" + role + "'; roles are " + Roles.ALL);
            }
        }
        if (roles.isEmpty()) {
            throw new ConfigException("roles", "must name at least one role of " + Roles.ALL);
        }
        Map<String, Integer> instances = new LinkedHashMap<>();
        for (String role : Roles.ALL) {
            int n = (Integer) v.get("instances." + role);
            if (n < 1 || n > 64) {
                throw new ConfigException("instances." + role, "must be between 1 and 64, got " + n);
            }
            instances.put(role, n);
        }
        Path data = Path.of(dataDir).toAbsolutePath().normalize();
        Edge edge = new Edge(positive(v, "edge.maxFrameBytes", 1024, 16 * 1024 * 1024),
                positive(v, "edge.heartbeatSeconds", 1, 3600), positive(v, "edge.idleTimeoutSeconds", 2, 7200),
                positive(v, "limits.userPerSecond", 1, 1_000_000), positive(v, "limits.userBurst", 1, 10_000_000),
                positive(v, "limits.ipPerSecond", 1, 1_000_000), positive(v, "limits.ipBurst", 1, 10_000_000));
        if (edge.idleTimeoutSeconds() <= edge.heartbeatSeconds()) {
            throw new ConfigException("edge.idleTimeoutSeconds", "must be longer than edge.heartbeatSeconds");
        }
        String sender = (String) v.get("accounts.verificationSender");
        if (!List.of("log", "file").contains(sender)) {
            throw new ConfigException("accounts.verificationSender", "must be 'log' or 'file', got '" + sender + "'");
        }
        String file = (String) v.get("accounts.verificationFile");
        AccountsConfig limits = new AccountsConfig(
                Duration.ofSeconds(positive(v, "accounts.codeTtlSeconds", 10, 86_400)),
                Duration.ofSeconds(positive(v, "accounts.linkCodeTtlSeconds", 10, 86_400)),
                positive(v, "accounts.maxLinkedDevices", 1, 16), AccountsConfig.defaults().maxCodeAttempts());
        Accounts accounts = new Accounts(sender, file.isEmpty() ? data.resolve("verification-codes.txt")
                : Path.of(file).toAbsolutePath().normalize(), limits);
        int presenceSweep = positive(v, "presence.sweepSeconds", 1, 600);
        int presenceTtl = positive(v, "presence.onlineTtlSeconds", 3, 86_400);
        if (presenceTtl < 3 * presenceSweep) {
            throw new ConfigException("presence.onlineTtlSeconds", "must be at least three presence.sweepSeconds, got "
                    + presenceTtl);
        }
        return new NodeConfig(host, port, data,
                Optional.of(postgresUrl).filter(s -> !s.isEmpty()), poolSize,
                Optional.of(redisUrl).filter(s -> !s.isEmpty()), List.copyOf(roles), Map.copyOf(instances), edge, accounts,
                positive(v, "messaging.sweepSeconds", 1, 3600), positive(v, "messaging.commitLingerMicros", 0, 5000),
                presenceSweep, presenceTtl, cluster(v),
                TurnSettings.from(v, host, port), List.copyOf((List<String>) v.get("calls.turnUrls")),
                CallSettings.from(v), MediaSettings.from(v, data), StatusSettings.from(v),
                OpsSettings.from(v));
    }

    @SuppressWarnings("unchecked")
    private static Cluster cluster(Map<String, Object> v) {
        String host = (String) v.get("cluster.host");
        if (host.isBlank()) {
            throw new ConfigException("cluster.host", "must not be empty");
        }
        String name = (String) v.get("cluster.name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("cluster.name", "must be 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        List<String> members = (List<String>) v.get("cluster.members");
        for (String member : members) {
            if (!member.matches("[^:\\s]+:[0-9]{1,5}") || Integer.parseInt(member.substring(member.lastIndexOf(':') + 1)) > 65535) {
                throw new ConfigException("cluster.members", "must be host:port entries, got '" + member + "'");
            }
        }
        return new Cluster((Boolean) v.get("cluster.enabled"), name, host, positive(v, "cluster.port", 1, 65535),
                positive(v, "cluster.busPort", 0, 65535), List.copyOf(members), positive(v, "cluster.failureSeconds", 3, 600));
    }

    private static int positive(Map<String, Object> v, String key, int min, int max) {
        int value = (Integer) v.get(key);
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static List<ConfigKey> keys() {
        List<ConfigKey> keys = new java.util.ArrayList<>(List.of(
                new ConfigKey("http.host", ConfigKey.Type.STRING, "0.0.0.0", "address the HTTP server binds"),
                new ConfigKey("http.port", ConfigKey.Type.INT, 8080, "HTTP port of the edge (0 picks a free one)"),
                new ConfigKey("data.dir", ConfigKey.Type.STRING, "./data",
                        "data folder: embedded PostgreSQL and Redis, media; one node per folder"),
                new ConfigKey("postgres.url", ConfigKey.Type.STRING, "",
                        "PostgreSQL to use instead of the embedded one, postgresql://user:password@host:port/db"),
                new ConfigKey("postgres.poolSize", ConfigKey.Type.INT, 8, "connections per pool"),
                new ConfigKey("redis.url", ConfigKey.Type.STRING, "",
                        "Redis to use instead of the embedded one, redis://host:port"),
                new ConfigKey("roles", ConfigKey.Type.LIST, Roles.ALL, "roles (verticles) this node runs"),
                new ConfigKey("edge.maxFrameBytes", ConfigKey.Type.INT, 256 * 1024,
                        "largest client frame; larger ones get 413, four times larger close the socket"),
                new ConfigKey("edge.heartbeatSeconds", ConfigKey.Type.INT, 30, "heartbeat interval told to clients"),
                new ConfigKey("edge.idleTimeoutSeconds", ConfigKey.Type.INT, 90, "a connection silent this long is closed"),
                new ConfigKey("limits.userPerSecond", ConfigKey.Type.INT, 100, "requests per second per user (token bucket)"),
                new ConfigKey("limits.userBurst", ConfigKey.Type.INT, 300, "burst of requests per user"),
                new ConfigKey("limits.ipPerSecond", ConfigKey.Type.INT, 50,
                        "connects and HTTP calls per second per IP address"),
                new ConfigKey("limits.ipBurst", ConfigKey.Type.INT, 200, "burst of connects and HTTP calls per IP address"),
                new ConfigKey("accounts.verificationSender", ConfigKey.Type.STRING, "log",
                        "where verification codes go: log (the node's log) or file"),
                new ConfigKey("accounts.verificationFile", ConfigKey.Type.STRING, "",
                        "file for the 'file' sender (default DATA/verification-codes.txt)"),
                new ConfigKey("accounts.codeTtlSeconds", ConfigKey.Type.INT, 600, "life of a verification code"),
                new ConfigKey("accounts.linkCodeTtlSeconds", ConfigKey.Type.INT, 600, "life of a provisioning (link) code"),
                new ConfigKey("accounts.maxLinkedDevices", ConfigKey.Type.INT, 4,
                        "linked devices per account besides the primary"),
                new ConfigKey("messaging.sweepSeconds", ConfigKey.Type.INT, 30,
                        "how often expired disappearing messages and old send records are deleted"),
                new ConfigKey("messaging.commitLingerMicros", ConfigKey.Type.INT, 0,
                        "while an inbox commit is in flight, how long the next batch waits to fill (0: no wait)"),
                new ConfigKey("cluster.enabled", ConfigKey.Type.BOOLEAN, false,
                        "join a Hazelcast cluster (TCP-IP member list, no multicast)"),
                new ConfigKey("cluster.name", ConfigKey.Type.STRING, "parley", "cluster name; nodes of one installation share it"),
                new ConfigKey("cluster.host", ConfigKey.Type.STRING, "127.0.0.1",
                        "address this node binds and announces for Hazelcast and the event bus"),
                new ConfigKey("cluster.port", ConfigKey.Type.INT, 5701, "Hazelcast member port"),
                new ConfigKey("cluster.busPort", ConfigKey.Type.INT, 0, "event bus TCP port (0 picks a free one)"),
                new ConfigKey("cluster.members", ConfigKey.Type.LIST, List.of(),
                        "host:port of the other members (their cluster.port)"),
                new ConfigKey("cluster.failureSeconds", ConfigKey.Type.INT, 30,
                        "a member silent this long is taken out of the cluster"),
                new ConfigKey("presence.sweepSeconds", ConfigKey.Type.INT, 10,
                        "how often presence renews online devices that still have a route and turns the others offline"),
                new ConfigKey("presence.onlineTtlSeconds", ConfigKey.Type.INT, 300,
                        "life of a device's online entry between renewals by the sweep")));
        keys.addAll(TurnSettings.KEYS);
        keys.addAll(CallSettings.KEYS);
        keys.addAll(MediaSettings.KEYS);
        keys.addAll(StatusSettings.KEYS);
        keys.addAll(OpsSettings.KEYS);
        for (String role : Roles.ALL) {
            keys.add(new ConfigKey("instances." + role, ConfigKey.Type.INT, 1, "instances of the " + role + " verticle"));
        }
        return List.copyOf(keys);
    }
}
