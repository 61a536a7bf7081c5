package io.parley.calls;

import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Ids;
import io.parley.bus.Rpc;
import io.parley.proto.DeviceEvent;
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

/**
 * The call lifecycle of the calls role: wires offer, accept, reject, hang-up, signal, history and
 * group calls to their request addresses, device events to ringing and clean-up, and the sweep
 * timer (ring time-outs, devices not back after a disconnect) and history retention timer. State lives in Redis and PostgreSQL, so any instance on
 * any node serves any call.
 */
public final class CallLifecycleVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(CallLifecycleVerticle.class);
    private static final long HISTORY_SWEEP_MS = 3_600_000;

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final RedisOptions redisOptions;
    private final CallLifecycleConfig config;
    private final Clock clock;
    private boolean sweeping;

    public CallLifecycleVerticle(PgConnectOptions postgres, PoolOptions poolOptions, RedisOptions redisOptions,
            CallLifecycleConfig config, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.redisOptions = redisOptions;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        Redis redis = Redis.createClient(vertx, redisOptions);
        DeviceRoutes routes = new DeviceRoutes(redis);
        CallStore store = new CallStore(redis);
        CallHistoryStore history = new CallHistoryStore(pool);
        AccountLookups accounts = new AccountLookups(vertx.eventBus());
        CallNotifier notifier = new CallNotifier(new DevicePusher(vertx, routes), vertx.eventBus());
        DirectCalls direct = new DirectCalls(store, history, accounts, notifier, config, clock);
        GroupCalls groups = new GroupCalls(store, history, accounts, notifier, config, clock);
        SignalRelay signals = new SignalRelay(store, notifier, config);
        CallService calls = new CallService(store, history, direct, groups, routes, config, clock);

        vertx.setPeriodic(config.sweepInterval().toMillis(), id -> {
            if (sweeping) {
                return;
            }
            sweeping = true;
            Future<Integer> missed = direct.expire().onSuccess(n -> {
                if (n > 0) {
                    LOG.debug("{} calls missed: no answer within {} s", n, config.ringTimeout().toSeconds());
                }
            }).onFailure(e -> LOG.warn("ring time-out sweep failed: {}", e.getMessage()));
            Future<Integer> dropped = calls.sweepDisconnects().onSuccess(n -> {
                if (n > 0) {
                    LOG.debug("{} calls ended or left: a device was not back within {} s", n,
                            config.reconnectGrace().toSeconds());
                }
            }).onFailure(e -> LOG.warn("disconnect sweep failed: {}", e.getMessage()));
            Future.join(missed, dropped).onComplete(done -> sweeping = false);
        });
        vertx.setPeriodic(HISTORY_SWEEP_MS, id -> calls.sweepHistory(config.historyRetention())
                .onFailure(e -> LOG.warn("call history sweep failed: {}", e.getMessage())));
        return Future.all(List.of(
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> calls.onDeviceEvent(m.body())
                        .onFailure(e -> LOG.warn("device event not applied to calls [device: {}/{}, kind: {}]: {}",
                                Ids.uuid(m.body().getDevice().getUserId(), "user_id"), m.body().getDevice().getDeviceId(),
                                m.body().getKind(), e.getMessage()))).completion(),
                Rpc.serve(vertx, BodyCase.CALL_OFFER, direct::offer).completion(),
                Rpc.serve(vertx, BodyCase.CALL_ACCEPT, direct::accept).completion(),
                Rpc.serve(vertx, BodyCase.CALL_REJECT, direct::reject).completion(),
                Rpc.serve(vertx, BodyCase.CALL_HANG_UP, calls::hangUp).completion(),
                Rpc.serve(vertx, BodyCase.CALL_SIGNAL, signals::signal).completion(),
                Rpc.serve(vertx, BodyCase.CALL_HISTORY, calls::history).completion(),
                Rpc.serve(vertx, BodyCase.GROUP_CALL_START, groups::start).completion(),
                Rpc.serve(vertx, BodyCase.GROUP_CALL_JOIN, groups::join).completion()));
    }
}
