package io.parley.sessions;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.CloseCodes;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Authenticated;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceEvent;
import io.parley.proto.Error;
import io.parley.proto.Envelope;
import io.parley.proto.Evict;
import io.parley.proto.InboxDrained;
import io.parley.proto.InboxPage;
import io.parley.proto.InboxPageRequest;
import io.parley.proto.HeartbeatAck;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.ServerFrame;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: authenticates it, binds its device to the device's bus address and route,
 * answers heartbeats, forwards every other request to the bus stamped with the caller, and writes
 * responses and pushes back. All of it runs on the connection's event loop.
 */
final class DeviceSession {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
    private static final FieldDescriptor[] REQUEST_FIELDS = fieldsByNumber(Request.getDescriptor());
    private static final FieldDescriptor[] RESPONSE_FIELDS = fieldsByNumber(Response.getDescriptor());
    private static final long ROUTE_REFRESH_MS = DeviceRoutes.ROUTE_TTL_SECONDS * 1000L / 2;
    private static final int REPLAY_PAGE = 200;
    private static final int REPLAY_ATTEMPTS = 3;
    private static final long REPLAY_RETRY_MS = 500;
    /** Live envelopes held back while the inbox replays; beyond this the replay reads one more page. */
    private static final int MAX_HELD = 1_000;
    /** Requests one session may have waiting for the rate limiter; past it, a 429 (a client pipelines far less). */
    private static final int MAX_AWAITING_TOKENS = 1_000;

    private final Edge edge;
    private final Transport transport;
    private final Context context;
    private final String connectionId = UUID.randomUUID().toString();
    private final long openedAt = System.currentTimeMillis();
    private long lastFrameAt = openedAt;
    private long routeRefreshedAt;
    private int leasedTokens;
    /**
     * Requests that came while the session had no token, in the order they came: they go on to their
     * services in that order once a lease answers, and no later request overtakes them here. A lease
     * call, sized for what waits, is in flight exactly while this is not empty.
     */
    private final java.util.ArrayDeque<Request> awaitingTokens = new java.util.ArrayDeque<>();
    private boolean authenticating;
    private boolean closed;
    private Caller caller;
    private DeviceRoutes.Route route;
    private volatile MessageConsumer<Message> consumer;
    private boolean replaying;
    private long replayedUpTo;
    private long replayed;
    private boolean heldOverflow;
    private final List<Envelope> held = new ArrayList<>();

    DeviceSession(Edge edge, Transport transport, Context context) {
        this.edge = edge;
        this.transport = transport;
        this.context = context;
        edge.sessions().add(this);
        transport.frameHandler(this::onFrame);
        transport.closeHandler(v -> cleanUp());
    }

    private void onFrame(Object raw) {
        if (closed) {
            return;
        }
        lastFrameAt = System.currentTimeMillis();
        int size = transport.sizeOf(raw);
        if (size > edge.config().maxFrameBytes()) {
            fail(0, Failure.TOO_LARGE, "frame of " + size + " bytes is over the limit of "
                    + edge.config().maxFrameBytes());
            return;
        }
        ClientFrame frame;
        try {
            frame = transport.parse(raw);
        } catch (Transport.MalformedFrameException e) {
            fail(0, Failure.BAD_REQUEST, "malformed frame: " + e.getMessage());
            return;
        }
        if (!frame.hasRequest()) {
            fail(0, Failure.BAD_REQUEST, "frame carries no request");
            return;
        }
        Request request = frame.getRequest();
        switch (request.getBodyCase()) {
            case BODY_NOT_SET -> fail(request.getId(), Failure.BAD_REQUEST, "unknown request type");
            case AUTHENTICATE -> authenticate(request);
            case HEARTBEAT -> {
                if (requireCaller(request)) {
                    respond(Response.newBuilder().setId(request.getId())
                            .setHeartbeat(HeartbeatAck.newBuilder().setServerTimeMs(System.currentTimeMillis())));
                }
            }
            default -> {
                if (requireCaller(request)) {
                    forward(request);
                }
            }
        }
    }

    private boolean requireCaller(Request request) {
        if (caller == null) {
            fail(request.getId(), Failure.UNAUTHORIZED, "authenticate first");
            return false;
        }
        return true;
    }

    private void authenticate(Request request) {
        if (caller != null || authenticating) {
            fail(request.getId(), Failure.BAD_REQUEST, "this connection is authenticated already");
            return;
        }
        authenticating = true;
        edge.limiter().allowAddress(transport.remoteAddress())
                .compose(allowed -> allowed ? Future.succeededFuture()
                        : Future.failedFuture(Failure.RATE_LIMITED.exception("too many connections from this address")))
                .compose(v -> edge.vertx().eventBus().request(Addresses.ACCOUNTS_AUTHENTICATE,
                        request.getAuthenticate(), timeout()))
                .compose(ok -> bind(Ids.uuid(request.getAuthenticate().getUserId(), "user_id"),
                        request.getAuthenticate().getDeviceId()))
                .onSuccess(v -> {
                    respond(Response.newBuilder().setId(request.getId()).setAuthenticate(Authenticated.newBuilder()
                            .setServerTimeMs(System.currentTimeMillis())
                            .setHeartbeatSeconds(edge.config().heartbeatSeconds())
                            .setMaxFrameBytes(edge.config().maxFrameBytes())));
                    startReplay();
                })
                .onFailure(e -> {
                    authenticating = false;
                    int code = Failure.codeOf(e);
                    fail(request.getId(), Failure.ofCode(code), Failure.messageOf(e));
                    if (code == Failure.UNAUTHORIZED.code()) {
                        close(CloseCodes.UNAUTHORIZED, "authentication failed");
                    }
                    if (code == Failure.FORBIDDEN.code()) {
                        close(CloseCodes.ACCOUNT_DISABLED, "account disabled");
                    }
                });
    }

    /** Makes this connection the device's: replaces any other connection of it, here or on another node. */
    private Future<Void> bind(UUID userId, int deviceId) {
        if (closed) {
            return Future.failedFuture(Failure.UNAVAILABLE.exception("connection closed while authenticating"));
        }
        caller = new Caller(userId, deviceId);
        authenticating = false;
        DeviceSession previous = edge.devices().claim(userId, deviceId, this);
        if (previous != null && previous != this) {
            previous.evict(CloseCodes.REPLACED, "replaced by a newer connection of this device");
        }
        consumer = edge.vertx().eventBus().localConsumer(Addresses.device(userId, deviceId),
                message -> deliver((Push) message.body()));
        route = new DeviceRoutes.Route(edge.config().nodeId(), connectionId);
        routeRefreshedAt = System.currentTimeMillis();
        return edge.routes().bind(userId, deviceId, route).map(replaced -> {
            replaced.filter(r -> !r.nodeId().equals(edge.config().nodeId())).ifPresent(this::evictElsewhere);
            publish(DeviceEvent.Kind.CONNECTED);
            return null;
        });
    }

    private void evictElsewhere(DeviceRoutes.Route other) {
        edge.vertx().eventBus().send(Addresses.node(other.nodeId()), Evict.newBuilder()
                .setDevice(DevicePusher.ref(caller.userId(), caller.deviceId())).setConnectionId(other.connectionId())
                .setCloseCode(CloseCodes.REPLACED).setReason("replaced by a newer connection of this device").build());
    }

    private void forward(Request request) {
        if (awaitingTokens.isEmpty() && leasedTokens > 0) {
            leasedTokens--;
            dispatch(request);
            return;
        }
        if (awaitingTokens.size() >= MAX_AWAITING_TOKENS) {
            fail(request.getId(), Failure.RATE_LIMITED, "too many requests: slow down");
            return;
        }
        boolean noLeaseInFlight = awaitingTokens.isEmpty();
        awaitingTokens.add(request);
        if (noLeaseInFlight) {
            lease();
        }
    }

    /** Every path out of the answer either empties the queue or leases again. */
    private void lease() {
        edge.limiter().leaseForUser(caller.userId(), awaitingTokens.size()).onComplete(granted -> {
            if (closed) {
                awaitingTokens.clear();
                return;
            }
            if (granted.failed()) {
                failAwaiting(Failure.UNAVAILABLE, "rate limiter unavailable");
                return;
            }
            leasedTokens += granted.result();
            while (leasedTokens > 0 && !awaitingTokens.isEmpty()) {
                leasedTokens--;
                dispatch(awaitingTokens.poll());
            }
            if (!awaitingTokens.isEmpty()) {
                if (granted.result() == 0) {
                    failAwaiting(Failure.RATE_LIMITED, "too many requests: slow down");
                } else {
                    lease();
                }
            }
        });
    }

    private void failAwaiting(Failure failure, String message) {
        Request request;
        while ((request = awaitingTokens.poll()) != null) {
            fail(request.getId(), failure, message);
        }
    }

    private void dispatch(Request request) {
        int number = request.getBodyCase().getNumber();
        Message body = (Message) request.getField(REQUEST_FIELDS[number]);
        edge.vertx().eventBus().<Message>request(Addresses.rpc(request.getBodyCase()), body, caller.stamp(timeout(), edge.busKey()))
                .onSuccess(reply -> {
                    if (reply.body() instanceof Error error) {
                        respond(Response.newBuilder().setId(request.getId()).setError(error));
                    } else {
                        respond(Response.newBuilder().setId(request.getId()).setField(RESPONSE_FIELDS[number], reply.body()));
                    }
                })
                .onFailure(e -> fail(request.getId(), Failure.ofCode(Failure.codeOf(e)), Failure.messageOf(e)));
    }

    private DeliveryOptions timeout() {
        return new DeliveryOptions().setSendTimeout(edge.config().requestTimeoutMs());
    }

    /** A push for this device from its bus address. Nothing is queued beyond the socket's bound. */
    private void deliver(Push push) {
        if (replaying && push.hasEnvelope()) {
            if (held.size() < MAX_HELD) {
                held.add(push.getEnvelope());
            } else {
                heldOverflow = true;
            }
            return;
        }
        send(ServerFrame.newBuilder().setPush(push).build());
    }

    /**
     * Sends every envelope waiting in the device's inbox, in order and page by page, before any
     * new one: live envelopes that arrive meanwhile are held back and sent after, without those
     * the replay already sent. The replay waits for the socket to drain rather than overfill it.
     */
    private void startReplay() {
        replaying = true;
        replayPage(0, 0);
    }

    private void replayPage(long after, int attempt) {
        if (closed) {
            return;
        }
        edge.vertx().eventBus().<InboxPage>request(Addresses.MESSAGING_INBOX_PAGE, InboxPageRequest.newBuilder()
                        .setDevice(DevicePusher.ref(caller.userId(), caller.deviceId())).setAfterSequence(after)
                        .setLimit(REPLAY_PAGE).build(), timeout())
                .onSuccess(reply -> writeReplay(reply.body().getEnvelopesList().iterator(),
                        reply.body().getEnvelopesCount() == REPLAY_PAGE))
                .onFailure(e -> {
                    if (attempt + 1 < REPLAY_ATTEMPTS) {
                        edge.vertx().setTimer(REPLAY_RETRY_MS << attempt, t -> replayPage(after, attempt + 1));
                    } else {
                        LOG.warn("inbox replay stopped; the rest comes at the next connection [device: {}]: {}", caller,
                                e.getMessage());
                        finishReplay();
                    }
                });
    }

    private void writeReplay(java.util.Iterator<Envelope> envelopes, boolean morePages) {
        while (envelopes.hasNext()) {
            if (closed || transport.isClosed()) {
                cleanUp();
                return;
            }
            if (transport.writeQueueFull()) {
                transport.drainHandler(v -> writeReplay(envelopes, morePages));
                return;
            }
            Envelope envelope = envelopes.next();
            transport.send(ServerFrame.newBuilder().setPush(Push.newBuilder().setEnvelope(envelope)).build());
            replayedUpTo = envelope.getSequence();
            replayed++;
        }
        if (morePages) {
            replayPage(replayedUpTo, 0);
        } else {
            finishReplay();
        }
    }

    private void finishReplay() {
        if (heldOverflow) {
            heldOverflow = false;
            held.clear();
            replayPage(replayedUpTo, 0);
            return;
        }
        replaying = false;
        held.stream().filter(e -> e.getSequence() > replayedUpTo)
                .sorted(java.util.Comparator.comparingLong(Envelope::getSequence))
                .forEach(e -> send(ServerFrame.newBuilder().setPush(Push.newBuilder().setEnvelope(e)).build()));
        held.clear();
        send(ServerFrame.newBuilder().setPush(Push.newBuilder().setInboxDrained(InboxDrained.newBuilder()
                .setReplayed(replayed))).build());
    }

    private void respond(Response.Builder response) {
        send(ServerFrame.newBuilder().setResponse(response).build());
    }

    private void fail(long requestId, Failure failure, String message) {
        respond(Response.newBuilder().setId(requestId).setError(Error.newBuilder().setCode(failure.code()).setMessage(message)));
    }

    private void send(ServerFrame frame) {
        if (closed) {
            return;
        }
        if (transport.isClosed()) {
            cleanUp();
            return;
        }
        if (transport.writeQueueFull()) {
            LOG.info("closing a connection that stopped reading [device: {}]", caller);
            close(CloseCodes.TOO_SLOW, "client too slow: it stopped reading");
            return;
        }
        transport.send(frame);
    }

    /**
     * Sends the device its inbox again, as at connect: after a node left the cluster, a push it
     * committed but had not sent yet is gone, and the envelope would otherwise wait in the inbox
     * until the device reconnects. The client drops what it already has by message id.
     */
    void catchUp() {
        if (caller == null || closed || replaying) {
            return;
        }
        startReplay();
    }

    /**
     * After Redis was unreachable or lost its data: writes the route again, tells presence the
     * device is connected, and sends the inbox again (pushes that found no route meanwhile).
     */
    void reannounce() {
        if (caller == null || closed) {
            return;
        }
        edge.routes().refresh(caller.userId(), caller.deviceId(), route)
                .onSuccess(v -> {
                    publish(DeviceEvent.Kind.CONNECTED);
                    catchUp();
                })
                .onFailure(e -> LOG.warn("route not restored [device: {}]: {}", caller, e.getMessage()));
    }

    /** Closes this connection from any thread, if it is the one named (an empty id names any). */
    void evict(Evict evict) {
        if (evict.getConnectionId().isEmpty() || evict.getConnectionId().equals(connectionId)) {
            evict(evict.getCloseCode(), evict.getReason());
        }
    }

    void evict(int code, String reason) {
        MessageConsumer<Message> bound = consumer;
        if (bound != null) {
            bound.unregister();
        }
        context.runOnContext(v -> close(code, reason));
    }

    void close(int code, String reason) {
        if (closed) {
            return;
        }
        transport.close(code, reason);
        cleanUp();
    }

    private void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        edge.sessions().remove(this);
        MessageConsumer<Message> bound = consumer;
        if (bound != null) {
            bound.unregister();
        }
        if (caller != null) {
            edge.devices().release(caller.userId(), caller.deviceId(), this);
            edge.routes().unbind(caller.userId(), caller.deviceId(), route)
                    .onFailure(e -> LOG.warn("route not removed [device: {}]: {}", caller, e.getMessage()));
            publish(DeviceEvent.Kind.DISCONNECTED);
        }
    }

    private void publish(DeviceEvent.Kind kind) {
        edge.vertx().eventBus().publish(Addresses.DEVICE_EVENTS, DeviceEvent.newBuilder()
                .setDevice(DevicePusher.ref(caller.userId(), caller.deviceId())).setKind(kind)
                .setAtMs(System.currentTimeMillis()).setNodeId(edge.config().nodeId()).setConnectionId(connectionId).build());
    }

    /** Periodic check from the instance's timer: idle and unauthenticated connections, route refresh. */
    void sweep(long now) {
        if (caller == null && now - openedAt > edge.config().authTimeoutSeconds() * 1000L) {
            close(CloseCodes.UNAUTHORIZED, "no authentication in time");
        } else if (now - lastFrameAt > edge.config().idleTimeoutSeconds() * 1000L) {
            close(CloseCodes.IDLE, "no heartbeat in time");
        } else if (caller != null && now - routeRefreshedAt > ROUTE_REFRESH_MS) {
            routeRefreshedAt = now;
            edge.routes().refresh(caller.userId(), caller.deviceId(), route);
        }
    }

    Optional<Caller> caller() {
        return Optional.ofNullable(caller);
    }

    private static FieldDescriptor[] fieldsByNumber(com.google.protobuf.Descriptors.Descriptor type) {
        int max = type.getFields().stream().mapToInt(FieldDescriptor::getNumber).max().orElse(0);
        FieldDescriptor[] fields = new FieldDescriptor[max + 1];
        type.getFields().forEach(f -> fields[f.getNumber()] = f);
        return fields;
    }
}
