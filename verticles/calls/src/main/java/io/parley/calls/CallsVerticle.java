package io.parley.calls;

import io.parley.bus.Rpc;
import io.parley.proto.Request;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;

/** The calls role: serves {@code turn_credentials} (parley.rpc.turn_credentials). */
public final class CallsVerticle extends VerticleBase {
    private final CallsConfig config;
    private final Clock clock;

    public CallsVerticle(CallsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        TurnCredentialIssuer issuer = new TurnCredentialIssuer(config, clock);
        return Rpc.serve(vertx, Request.BodyCase.TURN_CREDENTIALS, issuer::issue).completion();
    }
}
