package io.parley.node;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Map<String, Integer> instances) {

    static final List<ConfigKey> KEYS = keys();

    /** Variables the launcher and logging read; they are not configuration keys. */
    private static final Set<String> PROCESS_VARIABLES = Set.of("PARLEY_JAVA_OPTS", "PARLEY_LOG_LEVEL");

    public int instancesOf(String role) {
        return instances.getOrDefault(role, 1);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** A copy that listens on another port (tests and the launcher resolve port 0 to a free one). */
    public NodeConfig withHttpPort(int port) {
        return new NodeConfig(httpHost, port, dataDir, postgresUrl, postgresPoolSize, redisUrl, roles, instances);
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
        return new NodeConfig(host, port, Path.of(dataDir).toAbsolutePath().normalize(),
                Optional.of(postgresUrl).filter(s -> !s.isEmpty()), poolSize,
                Optional.of(redisUrl).filter(s -> !s.isEmpty()), List.copyOf(roles), Map.copyOf(instances));
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
                new ConfigKey("roles", ConfigKey.Type.LIST, Roles.ALL, "roles (verticles) this node runs")));
        for (String role : Roles.ALL) {
            keys.add(new ConfigKey("instances." + role, ConfigKey.Type.INT, 1, "instances of the " + role + " verticle"));
        }
        return List.copyOf(keys);
    }
}
