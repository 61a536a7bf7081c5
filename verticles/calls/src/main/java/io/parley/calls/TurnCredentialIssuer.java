package io.parley.calls;

import io.parley.bus.Caller;
import io.parley.bus.RestCredentials;
import io.parley.proto.TurnCredentials;
import io.parley.proto.TurnCredentialsRequest;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;

/** Hands an authenticated caller REST credentials for the TURN relay, valid for the configured lifetime. */
final class TurnCredentialIssuer {
    private final RestCredentials credentials;
    private final CallsConfig config;
    private final Clock clock;

    TurnCredentialIssuer(CallsConfig config, Clock clock) {
        this.credentials = new RestCredentials(config.turnSecret());
        this.config = config;
        this.clock = clock;
    }

    Future<TurnCredentials> issue(Caller caller, TurnCredentialsRequest request) {
        Instant expiry = clock.instant().plus(config.credentialLifetime());
        RestCredentials.Credential credential = credentials.issue(caller.userId().toString(), expiry);
        return Future.succeededFuture(TurnCredentials.newBuilder()
                .addAllUrls(config.turnUrls().get())
                .setUsername(credential.username())
                .setPassword(credential.password())
                .setExpiresAtMs(expiry.getEpochSecond() * 1000)
                .build());
    }
}
