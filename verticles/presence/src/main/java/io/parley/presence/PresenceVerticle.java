package io.parley.presence;

import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Ids;
import io.parley.bus.NodeLiveness;
import io.parley.bus.Rpc;
import io.parley.proto.DeviceEvent;
import io.parley.proto.NodeLeft;
import io.parley.proto.RelationChanged;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires presence to device and relation events, subscribe_presence, typing and the sweep timer. */
public final class PresenceVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

    private final RedisOptions redisOptions;
    private final PresenceConfig config;
    private final Clock clock;

    public PresenceVerticle(RedisOptions redisOptions, PresenceConfig config, Clock clock) {
        this.redisOptions = redisOptions;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        Redis redis = Redis.createClient(vertx, redisOptions);
        DeviceRoutes routes = new DeviceRoutes(redis);
        DevicePusher pusher = new DevicePusher(vertx, routes);
        PresenceStore store = new PresenceStore(redis, config);
        Relations relations = new Relations(vertx);
        PresenceService presence = new PresenceService(store, relations, routes, new NodeLiveness(redis), pusher, config,
                clock, vertx);
        DeviceLists devices = new DeviceLists(vertx);
        TypingRelay typing = new TypingRelay(devices, relations, pusher);

        vertx.setPeriodic(config.sweepInterval().toMillis(), id -> presence.sweep()
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("sweep turned {} devices without a route offline", n);
                    }
                })
                .onFailure(e -> LOG.warn("presence sweep failed: {}", e.getMessage())));
        return Future.all(List.of(
                vertx.eventBus().<NodeLeft>localConsumer(Addresses.NODE_LEFT, m -> presence.nodeLeft(m.body().getNodeId())
                        .onSuccess(n -> LOG.info("node {} left: {} of its devices turned offline", m.body().getNodeId(), n))
                        .onFailure(e -> LOG.warn("devices of departed node {} not checked: {}", m.body().getNodeId(),
                                e.getMessage()))).completion(),
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> {
                    if (m.body().getKind() == DeviceEvent.Kind.LINKED || m.body().getKind() == DeviceEvent.Kind.REMOVED) {
                        devices.changed(Ids.uuid(m.body().getDevice().getUserId(), "user_id"));
                    }
                    presence.onDeviceEvent(m.body()).onFailure(e -> LOG.warn(
                            "device event not applied [device: {}/{}, kind: {}]: {}",
                            Ids.uuid(m.body().getDevice().getUserId(), "user_id"), m.body().getDevice().getDeviceId(),
                            m.body().getKind(), e.getMessage()));
                }).completion(),
                vertx.eventBus().<RelationChanged>consumer(Addresses.RELATION_EVENTS, m -> {
                    relations.changed(Ids.uuid(m.body().getUserId(), "user_id"));
                    relations.changed(Ids.uuid(m.body().getOther(), "other"));
                }).completion(),
                Rpc.serve(vertx, BodyCase.SUBSCRIBE_PRESENCE, presence::subscribe).completion(),
                Rpc.serve(vertx, BodyCase.TYPING, typing::typing).completion()));
    }
}
