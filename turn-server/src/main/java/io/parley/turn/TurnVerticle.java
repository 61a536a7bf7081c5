package io.parley.turn;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;

/**
 * The node's {@code turn} role: starts {@link TurnServer} with the verticle and stops it with the verticle.
 * The server runs on its own Netty event loops (the relay path never touches Vert.x), so one instance suffices;
 * {@code turn.ioThreads} sets its parallelism.
 */
public final class TurnVerticle extends VerticleBase {
    private final TurnServer server;

    public TurnVerticle(TurnConfig config, Clock clock) {
        this.server = new TurnServer(config, clock);
    }

    @Override
    public Future<?> start() {
        return Future.fromCompletionStage(server.start(), context);
    }

    @Override
    public Future<?> stop() {
        return Future.fromCompletionStage(server.stop(), context);
    }

    /** The bound port (the chosen one when configured as 0), once started. */
    public int port() {
        return server.port();
    }

    public TurnStats stats() {
        return server.stats();
    }
}
