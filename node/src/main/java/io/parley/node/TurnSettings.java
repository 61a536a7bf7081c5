package io.parley.node;

import io.parley.turn.TurnConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The {@code turn.*} configuration keys and the {@link TurnConfig} they make. The shared secret lives
 * here only, so the turn role and the calls role (which hands out REST credentials) read the same one.
 */
final class TurnSettings {
    /** turn.port's default: 3478, or a free port when http.port is 0 (tests), so parallel nodes never collide. */
    static final int AUTO_PORT = -1;
    private static final int SECRET_BYTES = 24;

    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("turn.host", ConfigKey.Type.STRING, "",
                    "address TURN listens on (UDP and TCP); empty: the same as http.host"),
            new ConfigKey("turn.port", ConfigKey.Type.INT, AUTO_PORT,
                    "TURN port for UDP and TCP; -1: 3478, or a free one when http.port is 0"),
            new ConfigKey("turn.relayHost", ConfigKey.Type.STRING, "127.0.0.1",
                    "address relay sockets bind and advertise; set the public address in a deployment"),
            new ConfigKey("turn.relayPortMin", ConfigKey.Type.INT, 49152, "lowest relay port"),
            new ConfigKey("turn.relayPortMax", ConfigKey.Type.INT, 65535, "highest relay port"),
            new ConfigKey("turn.realm", ConfigKey.Type.STRING, "parley", "REALM of TURN's long-term credentials"),
            new ConfigKey("turn.secret", ConfigKey.Type.STRING, "",
                    "REST shared secret of TURN credentials (16+ characters; empty: one made by the first node and kept in PostgreSQL)"),
            new ConfigKey("turn.allowedPeers", ConfigKey.Type.LIST, List.of(),
                    "CIDR blocks TURN may relay to although loopback, private or link-local (e.g. 127.0.0.0/8)"),
            new ConfigKey("turn.maxAllocationsPerUser", ConfigKey.Type.INT, 10, "TURN allocations per user at once"),
            new ConfigKey("turn.maxAllocations", ConfigKey.Type.INT, 100_000, "TURN allocations per node at once"),
            new ConfigKey("turn.userBytesPerSecond", ConfigKey.Type.INT, 1_250_000,
                    "relayed bytes per second per user, both directions (0: unlimited)"),
            new ConfigKey("turn.authFailuresPerMinute", ConfigKey.Type.INT, 30,
                    "failed TURN authentications per IP per minute before 429"),
            new ConfigKey("turn.credentialLifetimeSeconds", ConfigKey.Type.INT, 43_200,
                    "life of the TURN credentials handed out to clients"),
            new ConfigKey("turn.ioThreads", ConfigKey.Type.INT, 1, "TURN event-loop threads"),
            new ConfigKey("turn.recvBatch", ConfigKey.Type.INT, 16, "datagrams per recvmmsg on epoll (1: one per read)"),
            new ConfigKey("calls.turnUrls", ConfigKey.Type.LIST, List.of(),
                    "TURN URLs handed to clients with their credentials; empty: turn:relayHost:port over UDP and TCP"));

    private TurnSettings() {
    }

    @SuppressWarnings("unchecked")
    /**
     * Starts a secret the configuration left empty: the node replaces it with the installation's
     * (kept in PostgreSQL), so that every node's TURN server accepts every node's credentials.
     */
    static final String UNSET = "unset:";

    static String newSecret() {
        byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    static TurnConfig from(Map<String, Object> v, String httpHost, int httpPort) {
        int port = (Integer) v.get("turn.port");
        if (port < AUTO_PORT || port > 65535) {
            throw new ConfigException("turn.port", "must be -1 or between 0 and 65535, got " + port);
        }
        if (port == AUTO_PORT) {
            port = httpPort == 0 ? 0 : TurnConfig.DEFAULT_PORT;
        }
        String host = (String) v.get("turn.host");
        String secret = (String) v.get("turn.secret");
        if (secret.isEmpty()) {
            // Marked, so that the node can put the installation's shared secret in its place.
            secret = UNSET + newSecret();
        }
        try {
            return new TurnConfig(host.isEmpty() ? httpHost : host, port, (String) v.get("turn.relayHost"),
                    (Integer) v.get("turn.relayPortMin"), (Integer) v.get("turn.relayPortMax"), (String) v.get("turn.realm"),
                    secret, (List<String>) v.get("turn.allowedPeers"), (Integer) v.get("turn.maxAllocationsPerUser"),
                    (Integer) v.get("turn.maxAllocations"), (Integer) v.get("turn.userBytesPerSecond"),
                    (Integer) v.get("turn.authFailuresPerMinute"),
                    Duration.ofSeconds((Integer) v.get("turn.credentialLifetimeSeconds")),
                    TurnConfig.DEFAULT_NONCE_LIFETIME, (Integer) v.get("turn.ioThreads"), (Integer) v.get("turn.recvBatch"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
