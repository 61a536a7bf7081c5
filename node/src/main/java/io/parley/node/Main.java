package io.parley.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process entry point behind {@code ./parley start}: reads flags, builds the configuration,
 * starts the node and stops it cleanly on SIGTERM or Ctrl-C.
 */
public final class Main {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_START = 1;
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final String USAGE = """
            usage: parley start [--data DIR] [--port P] [--config FILE] [--roles R,...]
                                [--cluster [--cluster-host H] [--cluster-port P] [--members H:P,...]]
              --data DIR          data folder (default ./data; PARLEY_DATA_DIR)
              --port P            HTTP port (default 8080, 0 for any free port; PARLEY_HTTP_PORT)
              --config FILE       JSON configuration file (keys in docs/configuration.md)
              --roles R,...       verticles this node runs (default all; PARLEY_ROLES)
              --cluster           join a Hazelcast cluster (PARLEY_CLUSTER_ENABLED)
              --cluster-host H    address to bind and announce (default 127.0.0.1)
              --cluster-port P    Hazelcast port (default 5701)
              --members H:P,...   the other members' Hazelcast addresses""";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("start")) {
            System.err.println(USAGE);
            System.exit(EXIT_CONFIG);
        }
        NodeConfig config;
        try {
            config = configFrom(args);
        } catch (ConfigException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        ParleyNode node;
        try {
            node = ParleyNode.start(config);
        } catch (NodeStartException e) {
            LOG.error("Parley did not start: {}", e.getMessage());
            System.exit(EXIT_START);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "parley-shutdown"));
    }

    static NodeConfig configFrom(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        Optional<Path> file = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--cluster")) {
                flags.put("cluster.enabled", "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new ConfigException("flag " + flag + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--data" -> flags.put("data.dir", value);
                case "--port" -> flags.put("http.port", value);
                case "--config" -> file = Optional.of(Path.of(value));
                case "--roles" -> flags.put("roles", value);
                case "--cluster-host" -> flags.put("cluster.host", value);
                case "--cluster-port" -> flags.put("cluster.port", value);
                case "--members" -> flags.put("cluster.members", value);
                default -> throw new ConfigException("unknown flag " + flag + "\n" + USAGE);
            }
        }
        return NodeConfig.load(file, System.getenv(), flags);
    }
}
