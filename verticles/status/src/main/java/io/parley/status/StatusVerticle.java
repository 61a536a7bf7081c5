package io.parley.status;

import io.parley.bus.Rpc;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the status service to its request addresses and runs the expiry sweep every {@code status.sweepSeconds}. */
public final class StatusVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final StatusConfig config;
    private final Clock clock;

    public StatusVerticle(PgConnectOptions postgres, PoolOptions poolOptions, StatusConfig config, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        StatusStore store = new StatusStore(PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build());
        StatusService status = new StatusService(vertx, store, config, clock);
        vertx.setPeriodic(config.sweepInterval().toMillis(), id -> status.sweep()
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("status sweep deleted {} expired posts", n);
                    }
                })
                .onFailure(e -> LOG.warn("status sweep failed: {}", e.toString())));
        return Future.all(List.of(
                Rpc.serve(vertx, BodyCase.POST_STATUS, status::post).completion(),
                Rpc.serve(vertx, BodyCase.LIST_STATUS, status::list).completion(),
                Rpc.serve(vertx, BodyCase.VIEW_STATUS, status::view).completion(),
                Rpc.serve(vertx, BodyCase.STATUS_VIEWERS, status::viewers).completion(),
                Rpc.serve(vertx, BodyCase.DELETE_STATUS, status::delete).completion()));
    }
}
