package io.parley.node;

import io.parley.accounts.VerificationSender;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an embedding program (a test, a benchmark) may replace in a node: where verification codes
 * go, and the clock that decides expiry. The launcher uses neither.
 */
public record NodeHooks(Optional<Function<Vertx, VerificationSender>> verificationSender, Clock clock) {
    public static NodeHooks none() {
        return new NodeHooks(Optional.empty(), Clock.systemUTC());
    }

    public NodeHooks withSender(Function<Vertx, VerificationSender> sender) {
        return new NodeHooks(Optional.of(sender), clock);
    }

    public NodeHooks withClock(Clock clock) {
        return new NodeHooks(verificationSender, clock);
    }
}
