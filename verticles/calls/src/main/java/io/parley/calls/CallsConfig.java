package io.parley.calls;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the calls role needs: the TURN shared secret (the node's {@code turn.secret}), how long handed-out
 * credentials live, and the TURN URLs to give clients (a supplier: the TURN port is known once it is bound).
 */
public record CallsConfig(String turnSecret, Duration credentialLifetime, Supplier<List<String>> turnUrls) {
}
