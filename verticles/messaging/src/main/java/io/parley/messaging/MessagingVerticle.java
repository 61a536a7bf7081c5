package io.parley.messaging;

import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Ids;
import io.parley.bus.Rpc;
import io.parley.proto.DeviceEvent;
import io.parley.proto.GroupDeliveries;
import io.parley.proto.RelationChanged;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires messaging to its bus addresses, device and relation events, and the expiry sweep. */
public final class MessagingVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingVerticle.class);

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final RedisOptions redisOptions;
    private final MessagingConfig config;
    private final Clock clock;

    public MessagingVerticle(PgConnectOptions postgres, PoolOptions poolOptions, RedisOptions redisOptions,
            MessagingConfig config, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.redisOptions = redisOptions;
        this.config = config;
        this.clock = clock;
    }

    /** Netty's scheduler, for waits under a millisecond (Vert.x timers count in milliseconds); the task runs on this verticle's context. */
    private void after(long nanos, Runnable task) {
        io.vertx.core.Context own = context;
        ((io.vertx.core.internal.ContextInternal) own).nettyEventLoop()
                .schedule(() -> own.runOnContext(v -> task.run()), nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        InboxStore store = new InboxStore(pool);
        SendChecks checks = new SendChecks(vertx);
        MessagingMeters meters = new MessagingMeters(vertx);
        MessagingService messaging = new MessagingService(store,
                new InboxWriter(store, config.maxBatchRows(), config.maxCommitsInFlight(), config.commitLinger().toNanos(),
                        this::after, delivered -> vertx.eventBus().send(Addresses.GROUPS_DELIVERED, GroupDeliveries.newBuilder()
                                .addAllDelivered(delivered).setAtMs(clock.millis()).build())), checks,
                new DevicePusher(vertx, new DeviceRoutes(Redis.createClient(vertx, redisOptions))), config, clock,
                event -> {
                    meters.stored(event);
                    vertx.eventBus().send(Addresses.EVENTS_MESSAGE, event);
                });
        InboxDepths depths = new InboxDepths(store);

        vertx.setPeriodic(config.sweepInterval().toMillis(), id -> messaging.sweep()
                .onSuccess(n -> {
                    if (n[0] + n[1] + n[2] > 0) {
                        LOG.info("swept {} expired envelopes, {} old send records, {} unreferenced bodies", n[0], n[1], n[2]);
                    }
                })
                .onFailure(e -> LOG.warn("expiry sweep failed: {}", e.getMessage()))
                .compose(n -> store.depth()).onSuccess(meters::depth));
        return Future.all(List.of(
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> {
                    if (m.body().getKind() == DeviceEvent.Kind.LINKED || m.body().getKind() == DeviceEvent.Kind.REMOVED) {
                        checks.changed(Ids.uuid(m.body().getDevice().getUserId(), "user_id"));
                    }
                }).completion(),
                vertx.eventBus().<RelationChanged>consumer(Addresses.RELATION_EVENTS, m -> {
                    checks.changed(Ids.uuid(m.body().getUserId(), "user_id"));
                    checks.changed(Ids.uuid(m.body().getOther(), "other"));
                }).completion(),
                Rpc.serve(vertx, BodyCase.SEND_MESSAGE, meters.<io.parley.proto.SendMessageRequest>timed(messaging::send)).completion(),
                Rpc.serveInternal(vertx, Addresses.ADMIN_INBOX_DEPTHS, depths::depths).completion(),
                Rpc.serve(vertx, BodyCase.EDIT_MESSAGE, messaging::edit).completion(),
                Rpc.serve(vertx, BodyCase.DELETE_MESSAGE, messaging::delete).completion(),
                Rpc.serve(vertx, BodyCase.ACK, messaging::ack).completion(),
                Rpc.serve(vertx, BodyCase.SET_DISAPPEARING, messaging::setDisappearing).completion(),
                Rpc.serveInternal(vertx, Addresses.MESSAGING_DELIVER, messaging::deliver).completion(),
                Rpc.serveInternal(vertx, Addresses.MESSAGING_DELIVER_SHARED, messaging::deliverShared).completion(),
                Rpc.serveInternal(vertx, Addresses.MESSAGING_INBOX_PAGE, messaging::page).completion()));
    }
}
