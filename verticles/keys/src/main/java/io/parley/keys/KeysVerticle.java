package io.parley.keys;

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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the keys service to its request addresses and to device removals. */
public final class KeysVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(KeysVerticle.class);

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final RedisOptions redisOptions;
    private final KeysConfig config;

    public KeysVerticle(PgConnectOptions postgres, PoolOptions poolOptions, RedisOptions redisOptions, KeysConfig config) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.redisOptions = redisOptions;
        this.config = config;
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        KeysService keys = new KeysService(vertx, new KeyStore(pool),
                new DevicePusher(vertx, new DeviceRoutes(Redis.createClient(vertx, redisOptions))), config);
        return Future.all(List.of(
                Rpc.serve(vertx, BodyCase.UPLOAD_KEYS, keys::upload).completion(),
                Rpc.serve(vertx, BodyCase.GET_BUNDLES, keys::bundles).completion(),
                Rpc.serve(vertx, BodyCase.KEY_COUNTS, keys::counts).completion(),
                Rpc.serve(vertx, BodyCase.GET_IDENTITY_KEYS, keys::identities).completion(),
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> {
                    if (m.body().getKind() == DeviceEvent.Kind.REMOVED) {
                        keys.deviceRemoved(Ids.uuid(m.body().getDevice().getUserId(), "user_id"),
                                        m.body().getDevice().getDeviceId())
                                .onFailure(e -> LOG.warn("keys of a removed device not deleted [device: {}]: {}",
                                        m.body().getDevice().getDeviceId(), e.getMessage()));
                    }
                }).completion()));
    }
}
