package io.parley.sessions;

import io.parley.bus.Addresses;
import io.parley.bus.BusKey;
import io.parley.bus.CloseCodes;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.bus.NodeLiveness;
import io.parley.proto.Evict;
import io.parley.proto.NodeLeft;
import io.parley.proto.NodePush;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge: the node's HTTP server with /v1/ws (WebSocket, protobuf), /v1/sockjs (SockJS, protobuf
 * JSON), the pre-connection HTTP API and the node's operator routes; and the node's bus address,
 * where pushes and evictions for devices connected here arrive. Several instances share the port.
 */
public final class SessionsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(SessionsVerticle.class);
    private static final long SWEEP_INTERVAL_MS = 5_000;
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
    /** After a node left, connected devices replay their inboxes this many at a time, one batch per tick. */
    private static final int CATCH_UP_BATCH = 200;
    private static final long CATCH_UP_TICK_MS = 50;

    private final EdgeConfig config;
    private final RedisOptions redisOptions;
    private final LocalDevices devices;
    private final Handler<Router> nodeRoutes;
    private final Set<DeviceSession> sessions = new HashSet<>();
    private final String instanceId = java.util.UUID.randomUUID().toString();
    private NodeLiveness liveness;
    private boolean beaten;
    private boolean redisTroubled;

    public SessionsVerticle(EdgeConfig config, RedisOptions redisOptions, LocalDevices devices, Handler<Router> nodeRoutes) {
        this.config = config;
        this.redisOptions = redisOptions;
        this.devices = devices;
        this.nodeRoutes = nodeRoutes;
    }

    @Override
    public Future<?> start() {
        Redis redis = Redis.createClient(vertx, redisOptions);
        RateLimiter limiter = new RateLimiter(redis, config.rateLimits());
        liveness = new NodeLiveness(redis);
        // Not part of the start: a node comes up (and says it is unhealthy) while Redis is away.
        beat();
        vertx.setPeriodic(NodeLiveness.BEAT_SECONDS * 1000L, id -> beat());
        Edge edge = new Edge(vertx, config, new DeviceRoutes(redis), limiter, devices, sessions, BusKey.of(vertx));

        Router router = Router.router(vertx);
        nodeRoutes.handle(router);
        new HttpApi(vertx, limiter, config.requestTimeoutMs()).mount(router);
        router.route("/v1/ws").handler(ctx -> {
            // Paused so that the upgrade can still happen once the async rate check answers.
            ctx.request().pause();
            limiter.allowAddress(ctx.request().remoteAddress().hostAddress()).onComplete(allowed -> {
                if (allowed.succeeded() && allowed.result()) {
                    ctx.request().toWebSocket().onSuccess(ws ->
                            new DeviceSession(edge, new WebSocketTransport(ws, config.writeQueueMaxBytes()), context));
                } else {
                    ctx.request().resume();
                    HttpApi.error(ctx, allowed.succeeded() ? Failure.RATE_LIMITED.code() : Failure.UNAVAILABLE.code(),
                            allowed.succeeded() ? "too many connections from this address" : "rate limiter unavailable");
                }
            });
        });
        router.post("/v1/sockjs/*").handler(BodyHandler.create().setBodyLimit(config.hardFrameLimit()));
        router.route("/v1/sockjs/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions()
                        .setHeartbeatInterval(config.heartbeatSeconds() * 1000L)
                        .setRegisterWriteHandler(false))
                .socketHandler(socket -> new DeviceSession(edge, new SockJsTransport(socket, config.writeQueueMaxBytes()),
                        context)));

        vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> {
            long now = System.currentTimeMillis();
            new ArrayList<>(sessions).forEach(s -> s.sweep(now));
        });
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(config.host()).setPort(config.port())
                .setMaxWebSocketFrameSize(config.hardFrameLimit())
                .setMaxWebSocketMessageSize(config.hardFrameLimit())
                .setTcpNoDelay(true)
                // HTTP/1.1 and WebSocket only: an h2c upgrade (java.net.http asks for one by default)
                // answered /metrics with a broken HTTP/2 stream, and no Parley client needs HTTP/2.
                .setHttp2ClearTextEnabled(false)
                // Every write to a connection happens on its event loop here, so Vert.x can write
                // straight through instead of giving each HTTP connection a 1,024-slot queue
                // (≈ 4.7 KB of heap per connection, kept for the life of an upgraded WebSocket).
                .setStrictThreadMode(true));
        return Future.all(List.of(
                vertx.eventBus().<Object>consumer(Addresses.node(config.nodeId()), message -> onNodeMessage(message.body()))
                        .completion(),
                vertx.eventBus().<NodeLeft>localConsumer(Addresses.NODE_LEFT, message -> catchUp(message.body())).completion(),
                server.requestHandler(router).listen()));
    }

    /**
     * Renews this node's liveness. After Redis was unreachable (a push then found no route and its
     * envelope waits in the inbox) or lost its data (routes and presence gone with it), every device
     * connected here writes its route again, says it is connected again and gets its inbox again.
     */
    private void beat() {
        liveness.beat(config.nodeId(), instanceId).onComplete(beat -> {
            if (beat.failed()) {
                redisTroubled = true;
                LOG.warn("liveness beat failed: {}", beat.cause().getMessage());
                return;
            }
            boolean lost = beaten && !beat.result();
            if (lost || redisTroubled) {
                List<DeviceSession> all = new ArrayList<>(sessions);
                LOG.warn("Redis {}: restoring the routes and presence of the {} devices connected here and replaying "
                        + "their inboxes", lost ? "lost this node's keys" : "is back", all.size());
                inBatches(all, 0, DeviceSession::reannounce);
            }
            beaten = true;
            redisTroubled = false;
        });
    }

    /** A node left: every device connected here gets its inbox again, in batches so as not to flood the inbox. */
    private void catchUp(NodeLeft left) {
        liveness.forget(left.getNodeId()).onFailure(e -> LOG.warn("node {} not marked gone: {}", left.getNodeId(),
                e.getMessage()));
        List<DeviceSession> all = new ArrayList<>(sessions);
        LOG.info("node {} left the cluster: replaying the inboxes of {} devices connected here", left.getNodeId(),
                all.size());
        inBatches(all, 0, DeviceSession::catchUp);
    }

    /** Runs the action on the sessions a batch per tick, so as not to flood the inbox or Redis. */
    private void inBatches(List<DeviceSession> all, int from, java.util.function.Consumer<DeviceSession> action) {
        all.subList(from, Math.min(all.size(), from + CATCH_UP_BATCH)).forEach(action);
        if (from + CATCH_UP_BATCH < all.size()) {
            vertx.setTimer(CATCH_UP_TICK_MS, t -> inBatches(all, from + CATCH_UP_BATCH, action));
        }
    }

    /** Pushes go to the device's local address; evictions straight to its session, if it is still here. */
    private void onNodeMessage(Object body) {
        if (body instanceof NodePush push) {
            UUID userId = Ids.uuid(push.getDevice().getUserId(), "user_id");
            vertx.eventBus().send(Addresses.device(userId, push.getDevice().getDeviceId()), push.getPush(), LOCAL);
        } else if (body instanceof Evict evict) {
            DeviceSession session = devices.get(Ids.uuid(evict.getDevice().getUserId(), "user_id"),
                    evict.getDevice().getDeviceId());
            if (session != null) {
                session.evict(evict);
            }
        }
    }

    @Override
    public Future<?> stop() {
        new ArrayList<>(sessions).forEach(s -> s.close(CloseCodes.SHUTTING_DOWN, "server shutting down"));
        return Future.succeededFuture();
    }
}
