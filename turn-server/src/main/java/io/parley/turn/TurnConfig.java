package io.parley.turn;

import java.time.Duration;
import java.util.List;

/**
 * Everything the TURN server is told: where it listens and relays, its REST shared secret and realm,
 * which peers it may relay to, and its quotas. Built by the node from the {@code turn.*} keys
 * (docs/configuration.md) or by {@link TurnMain}; validated here, once.
 *
 * @param bindHost           address the listening UDP and TCP sockets bind (one port for both)
 * @param port               listening port, 3478 by default; 0 picks a free one (tests)
 * @param relayHost          address relay sockets bind and advertise in XOR-RELAYED-ADDRESS
 * @param relayPortMin       lowest relay port
 * @param relayPortMax       highest relay port
 * @param realm              REALM of the long-term credentials
 * @param secret             REST shared secret: password = base64(HMAC-SHA1(secret, "expiry:userId"))
 * @param allowedPeers       CIDR blocks relaying may reach although they are loopback, private or
 *                           link-local (empty in production; tests allow 127.0.0.0/8)
 * @param maxAllocationsPerUser allocations one user may hold at once (486 past it)
 * @param maxAllocations     allocations the whole server holds at once (508 past it)
 * @param userBytesPerSecond relayed bytes per second per user, both directions; 0 = unlimited
 * @param authFailuresPerMinute failed authentications per source IP per minute before 429
 * @param credentialLifetime life of REST credentials handed out (read by the calls verticle too)
 * @param nonceLifetime      a NONCE older than this gets 438 Stale Nonce
 * @param ioThreads          event-loop threads (each UDP one binds its own SO_REUSEPORT socket on epoll)
 * @param recvBatch          datagrams read per recvmmsg call on epoll; 1 reads one at a time
 */
public record TurnConfig(
        String bindHost,
        int port,
        String relayHost,
        int relayPortMin,
        int relayPortMax,
        String realm,
        String secret,
        List<String> allowedPeers,
        int maxAllocationsPerUser,
        int maxAllocations,
        long userBytesPerSecond,
        int authFailuresPerMinute,
        Duration credentialLifetime,
        Duration nonceLifetime,
        int ioThreads,
        int recvBatch) {

    public static final int DEFAULT_PORT = 3478;
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(10);
    /** A secret shorter than this is refused: it would make REST credentials guessable. */
    public static final int MIN_SECRET_LENGTH = 16;

    public TurnConfig {
        allowedPeers = List.copyOf(allowedPeers);
        require(!bindHost.isBlank(), "turn.host must not be empty");
        require(port >= 0 && port <= 65535, "turn.port must be between 0 and 65535, got " + port);
        require(!relayHost.isBlank(), "turn.relayHost must not be empty");
        require(relayPortMin >= 1024 && relayPortMin <= relayPortMax && relayPortMax <= 65535,
                "turn.relayPortMin..turn.relayPortMax must be a range within 1024..65535, got "
                        + relayPortMin + ".." + relayPortMax);
        require(!realm.isBlank(), "turn.realm must not be empty");
        require(secret.length() >= MIN_SECRET_LENGTH,
                "turn.secret must be at least " + MIN_SECRET_LENGTH + " characters");
        require(maxAllocationsPerUser >= 1, "turn.maxAllocationsPerUser must be at least 1");
        require(maxAllocations >= 1, "turn.maxAllocations must be at least 1");
        require(userBytesPerSecond >= 0, "turn.userBytesPerSecond must not be negative");
        require(authFailuresPerMinute >= 1, "turn.authFailuresPerMinute must be at least 1");
        require(!credentialLifetime.isNegative() && !credentialLifetime.isZero(),
                "turn.credentialLifetimeSeconds must be positive");
        require(!nonceLifetime.isNegative() && !nonceLifetime.isZero(), "the nonce lifetime must be positive");
        require(ioThreads >= 1 && ioThreads <= 64, "turn.ioThreads must be between 1 and 64, got " + ioThreads);
        require(recvBatch >= 1 && recvBatch <= 64, "turn.recvBatch must be between 1 and 64, got " + recvBatch);
        for (String cidr : allowedPeers) {
            Cidr.parse(cidr);
        }
    }

    /** Defaults for a server on loopback with the given secret (tests and the benchmark start from here). */
    public static TurnConfig loopback(String secret) {
        return new TurnConfig("127.0.0.1", 0, "127.0.0.1", 49152, 65535, "parley", secret, List.of("127.0.0.0/8"),
                10, 100_000, 0, 30, Duration.ofHours(12), DEFAULT_NONCE_LIFETIME, 1, 16);
    }

    public TurnConfig withPort(int newPort) {
        return new TurnConfig(bindHost, newPort, relayHost, relayPortMin, relayPortMax, realm, secret, allowedPeers,
                maxAllocationsPerUser, maxAllocations, userBytesPerSecond, authFailuresPerMinute, credentialLifetime,
                nonceLifetime, ioThreads, recvBatch);
    }

    public TurnConfig withSecret(String newSecret) {
        return new TurnConfig(bindHost, port, relayHost, relayPortMin, relayPortMax, realm, newSecret, allowedPeers,
                maxAllocationsPerUser, maxAllocations, userBytesPerSecond, authFailuresPerMinute, credentialLifetime,
                nonceLifetime, ioThreads, recvBatch);
    }

    public TurnConfig withAllowedPeers(List<String> peers) {
        return new TurnConfig(bindHost, port, relayHost, relayPortMin, relayPortMax, realm, secret, peers,
                maxAllocationsPerUser, maxAllocations, userBytesPerSecond, authFailuresPerMinute, credentialLifetime,
                nonceLifetime, ioThreads, recvBatch);
    }

    public TurnConfig withQuotas(int perUser, int total, long bytesPerSecond) {
        return new TurnConfig(bindHost, port, relayHost, relayPortMin, relayPortMax, realm, secret, allowedPeers,
                perUser, total, bytesPerSecond, authFailuresPerMinute, credentialLifetime, nonceLifetime, ioThreads,
                recvBatch);
    }

    public TurnConfig withAuthFailuresPerMinute(int failures) {
        return new TurnConfig(bindHost, port, relayHost, relayPortMin, relayPortMax, realm, secret, allowedPeers,
                maxAllocationsPerUser, maxAllocations, userBytesPerSecond, failures, credentialLifetime, nonceLifetime,
                ioThreads, recvBatch);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
