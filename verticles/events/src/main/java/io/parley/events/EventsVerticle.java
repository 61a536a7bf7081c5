package io.parley.events;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Meters;
import io.parley.bus.Rpc;
import io.parley.proto.AccountEvent;
import io.parley.proto.DeviceEvent;
import io.parley.proto.MessageStored;
import io.parley.proto.OfflineDevices;
import io.parley.proto.ReceiptSent;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the events role: the metadata events other verticles send (message stored, receipts,
 * accounts) and the device events of this node go to Kafka when it is configured; offline
 * devices are woken through {@link PushGateway}; clients' push subscription requests are served.
 */
public final class EventsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EventsVerticle.class);
    /** Device events are published to every instance on the node; one instance per node streams them. */
    private static final String DEVICE_STREAM_OWNER = "device-stream-owner";

    private final EventsConfig config;
    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final RedisOptions redisOptions;
    private final String nodeId;
    private final String instanceId = UUID.randomUUID().toString();
    private EventStream stream;
    private PushGateway push;

    public EventsVerticle(EventsConfig config, PgConnectOptions postgres, PoolOptions poolOptions, RedisOptions redisOptions,
            String nodeId) {
        this.config = config;
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.redisOptions = redisOptions;
        this.nodeId = nodeId;
    }

    @Override
    public Future<?> start() {
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build();
        Redis redis = Redis.createClient(vertx, redisOptions);
        EventMeters meters = EventMeters.of(Meters.of(vertx));
        config.kafkaBootstrapServers().ifPresent(servers ->
                stream = EventStream.connect(vertx, servers, config.topicPrefix(), "parley-" + nodeId, meters));
        LocalMap<String, String> owners = vertx.sharedData().getLocalMap(EventsVerticle.class.getName());
        boolean streamsDeviceEvents = owners.putIfAbsent(DEVICE_STREAM_OWNER, instanceId) == null;

        return PushServices.create(vertx, config.push(), new PushStore(pool)).compose(services -> {
            push = new PushGateway(new PushStore(pool), redis, services.senders(), config.push(), services.vapidPublicKey(),
                    meters);
            List<Future<?>> consumers = new ArrayList<>(List.of(
                    vertx.eventBus().<MessageStored>consumer(Addresses.EVENTS_MESSAGE, m -> toStream(
                            EventStream.Topic.MESSAGES, m.body().getSenderUser(), EventRecords.message(m.body()))).completion(),
                    vertx.eventBus().<ReceiptSent>consumer(Addresses.EVENTS_RECEIPT, m -> toStream(
                            EventStream.Topic.RECEIPTS, m.body().getFromUser(), EventRecords.receipt(m.body()))).completion(),
                    vertx.eventBus().<AccountEvent>consumer(Addresses.EVENTS_ACCOUNT, m -> toStream(
                            EventStream.Topic.ACCOUNTS, m.body().getUserId(), EventRecords.account(m.body()))).completion(),
                    vertx.eventBus().<OfflineDevices>consumer(Addresses.EVENTS_OFFLINE, m -> push.wake(m.body())
                            .onFailure(e -> LOG.warn("waking offline devices failed: {}", e.getMessage()))).completion(),
                    Rpc.serve(vertx, BodyCase.REGISTER_PUSH, push::register).completion(),
                    Rpc.serve(vertx, BodyCase.UNREGISTER_PUSH, (caller, q) -> push.unregister(caller)).completion(),
                    Rpc.serve(vertx, BodyCase.PUSH_CONFIG, (caller, q) -> Future.succeededFuture(push.pushConfig()))
                            .completion()));
            if (streamsDeviceEvents) {
                consumers.add(deviceEvents().completion());
            }
            return Future.all(consumers);
        });
    }

    /** This node's device events: to the stream, and a connect ends the device's pending wake. */
    private MessageConsumer<DeviceEvent> deviceEvents() {
        return vertx.eventBus().<DeviceEvent>localConsumer(Addresses.DEVICE_EVENTS, m -> {
            DeviceEvent event = m.body();
            UUID userId = Ids.uuid(event.getDevice().getUserId(), "user_id");
            int deviceId = event.getDevice().getDeviceId();
            Future<Void> done = switch (event.getKind()) {
                case CONNECTED -> push.connected(userId, deviceId);
                case REMOVED -> push.deviceRemoved(userId, deviceId);
                default -> Future.succeededFuture();
            };
            done.onFailure(e -> LOG.warn("push state not updated for a device event [user: {}, device: {}]: {}", userId,
                    deviceId, e.getMessage()));
            toStream(EventStream.Topic.DEVICES, event.getDevice().getUserId(), EventRecords.device(event));
        });
    }

    private void toStream(EventStream.Topic topic, com.google.protobuf.ByteString user, io.vertx.core.json.JsonObject record) {
        if (stream != null) {
            stream.publish(topic, EventRecords.uuid(user), record);
        }
    }

    @Override
    public Future<?> stop() {
        vertx.sharedData().<String, String>getLocalMap(EventsVerticle.class.getName())
                .removeIfPresent(DEVICE_STREAM_OWNER, instanceId);
        return stream == null ? Future.succeededFuture() : stream.close();
    }
}
