package io.parley.client;

import io.parley.proto.Authenticate;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Heartbeat;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.ServerFrame;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's live connection to Parley over WebSocket: authenticates, sends requests and completes
 * their futures with the responses, hands pushes to a handler, sends heartbeats, and reconnects
 * with backoff when the connection drops (not when the server closed it for good: replaced,
 * removed, unauthorized). Requests in flight when the connection drops fail with 503.
 * All state is touched on the client's Vert.x context.
 */
public final class ParleyClient {
    /** Close codes after which reconnecting cannot help. */
    private static final Set<Integer> FINAL_CLOSES = Set.of(4401, 4403, 4409, 4410);
    private static final Logger LOG = LoggerFactory.getLogger(ParleyClient.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final long MIN_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    /** Where to connect: the first, then each next one after a failed attempt (nodes of one cluster). */
    private final java.util.List<ServerAddress> servers;
    private int current;
    private final DeviceCredentials credentials;
    private final WebSocketClient sockets;
    private final Map<Long, Promise<Response>> pending = new HashMap<>();
    private final java.util.List<Handler<Push>> pushHandlers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Consumer<String> connectionHandler = state -> { };
    private WebSocket socket;
    private long nextRequestId = 1;
    private long heartbeatTimer = -1;
    private int failedAttempts;
    private boolean closedByUs;
    private Integer finalCloseCode;

    private ParleyClient(Vertx vertx, java.util.List<ServerAddress> servers, DeviceCredentials credentials) {
        this.vertx = vertx;
        // Created on a Vert.x thread, the client lives on that thread's context. Created elsewhere, it
        // gets a context of its own on the next event loop: Vert.x would give every context made from
        // one outside thread the same event loop, so clients created in a loop (a bot hosting several
        // accounts, the benchmarks' thousand devices) would all run on one thread.
        this.context = Vertx.currentContext() != null ? vertx.getOrCreateContext()
                : ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to connect to");
        }
        this.servers = java.util.List.copyOf(servers);
        ServerAddress server = this.servers.get(0);
        this.credentials = credentials;
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES).setSsl(server.tls()));
    }

    /**
     * A client not yet connected: attach push and connection handlers (a {@link Messenger}), then
     * {@link #connect()}. The server replays the inbox right after authentication, so handlers
     * attached after connecting may miss those envelopes until the next connection.
     */
    public static ParleyClient create(Vertx vertx, ServerAddress server, DeviceCredentials credentials) {
        return new ParleyClient(vertx, java.util.List.of(server), credentials);
    }

    /**
     * A client of a cluster: connects to the first address and, when an attempt fails (the node is
     * down), tries the next one, and so on round the list.
     */
    public static ParleyClient create(Vertx vertx, java.util.List<ServerAddress> servers, DeviceCredentials credentials) {
        return new ParleyClient(vertx, servers, credentials);
    }

    /**
     * Connects and authenticates once, trying each server of the list in turn until one answers;
     * later drops reconnect by themselves. A refused credential (401) is not retried elsewhere.
     */
    public Future<ParleyClient> connect() {
        return onContext(() -> openFirstAvailable(servers.size())).map(this);
    }

    private Future<Void> openFirstAvailable(int attemptsLeft) {
        return open().recover(e -> {
            if (attemptsLeft <= 1 || e instanceof ParleyException p && p.code() == 401) {
                return Future.failedFuture(e);
            }
            dropUnauthenticatedSocket();
            current = (current + 1) % servers.size();
            return openFirstAvailable(attemptsLeft - 1);
        });
    }

    private void dropUnauthenticatedSocket() {
        WebSocket unauthenticated = socket;
        socket = null;
        if (unauthenticated != null && !unauthenticated.isClosed()) {
            unauthenticated.close();
        }
    }

    /** Creates and connects a client in one step, for callers that only send requests. */
    public static Future<ParleyClient> connect(Vertx vertx, ServerAddress server, DeviceCredentials credentials) {
        return create(vertx, server, credentials).connect();
    }

    /**
     * Runs work on this client's own context, where all its state lives: callers on any thread
     * (an app's UI thread, a test) get the same ordering as the socket's callbacks.
     */
    public <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
        if (Vertx.currentContext() == context) {
            return work.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }

    /** Adds a handler for pushes (envelopes, device changes, presence, typing); all handlers see all pushes. */
    public ParleyClient onPush(Handler<Push> handler) {
        pushHandlers.add(handler);
        return this;
    }

    /** Told "connected", "disconnected" and "closed: <code> <reason>" as the connection changes. */
    public ParleyClient onConnectionChange(Consumer<String> handler) {
        this.connectionHandler = handler;
        return this;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The server this client connects to now (HTTP calls such as media transfers go to the same one). */
    public ServerAddress server() {
        return servers.get(current);
    }

    public DeviceCredentials credentials() {
        return credentials;
    }

    public boolean isConnected() {
        return socket != null && !socket.isClosed();
    }

    /** The code the server closed this connection with for good, if it did. */
    public Integer finalCloseCode() {
        return finalCloseCode;
    }

    private Future<Void> open() {
        ServerAddress server = servers.get(current);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(server.host()).setPort(server.port())
                .setURI("/v1/ws").setSsl(server.tls());
        return sockets.connect(options).compose(ws -> {
            socket = ws;
            ws.binaryMessageHandler(this::onFrame);
            ws.closeHandler(v -> onClosed(ws));
            return write(Request.newBuilder().setAuthenticate(Authenticate.newBuilder().setUserId(credentials.getUserId())
                    .setDeviceId(credentials.getDeviceId()).setPassword(credentials.getPassword())));
        }).map(response -> {
            failedAttempts = 0;
            long heartbeatMs = Math.max(1, response.getAuthenticate().getHeartbeatSeconds()) * 1000L;
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> {
                if (isConnected()) {
                    write(Request.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()));
                }
            });
            connectionHandler.accept("connected");
            return null;
        });
    }

    /** Sends a request; the future fails with {@link ParleyException} carrying the server's code. */
    public Future<Response> send(Request.Builder request) {
        return onContext(() -> write(request));
    }

    private Future<Response> write(Request.Builder request) {
        if (socket == null || socket.isClosed()) {
            return Future.failedFuture(new ParleyException(503, "not connected"));
        }
        long id = nextRequestId++;
        Promise<Response> promise = Promise.promise();
        pending.put(id, promise);
        long timer = vertx.setTimer(REQUEST_TIMEOUT.toMillis(), t -> {
            Promise<Response> late = pending.remove(id);
            if (late != null) {
                late.fail(new ParleyException(503, "no response within " + REQUEST_TIMEOUT.toSeconds() + " s"));
            }
        });
        socket.writeBinaryMessage(Buffer.buffer(ClientFrame.newBuilder().setRequest(request.setId(id)).build().toByteArray()))
                .onFailure(e -> {
                    Promise<Response> lost = pending.remove(id);
                    if (lost != null) {
                        lost.fail(new ParleyException(503, "connection lost: " + e.getMessage()));
                    }
                });
        return promise.future().andThen(r -> vertx.cancelTimer(timer));
    }

    private void onFrame(Buffer bytes) {
        ServerFrame frame;
        try {
            frame = ServerFrame.parseFrom(bytes.getBytes());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            LOG.warn("server sent an unreadable frame: {}", e.getMessage());
            return;
        }
        if (frame.hasPush()) {
            pushHandlers.forEach(h -> h.handle(frame.getPush()));
            return;
        }
        Response response = frame.getResponse();
        Promise<Response> promise = pending.remove(response.getId());
        if (promise == null) {
            LOG.debug("response to an unknown request {}: {}", response.getId(), response.getError().getMessage());
        } else if (response.hasError()) {
            promise.fail(new ParleyException(response.getError()));
        } else {
            promise.complete(response);
        }
    }

    private void onClosed(WebSocket closed) {
        if (closed != socket) {
            return;
        }
        vertx.cancelTimer(heartbeatTimer);
        pending.values().forEach(p -> p.tryFail(new ParleyException(503, "connection lost")));
        pending.clear();
        Short code = closed.closeStatusCode();
        if (closedByUs) {
            return;
        }
        if (code != null && FINAL_CLOSES.contains((int) code)) {
            finalCloseCode = (int) code;
            connectionHandler.accept("closed: " + code + " " + closed.closeReason());
            return;
        }
        connectionHandler.accept("disconnected");
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failedAttempts, 8));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        failedAttempts++;
        vertx.setTimer(delay, t -> {
            if (!closedByUs) {
                open().onFailure(e -> {
                    if (e instanceof ParleyException p && p.code() == 401) {
                        finalCloseCode = 4401;
                        connectionHandler.accept("closed: 4401 " + p.getMessage());
                    } else if (e instanceof ParleyException p && p.code() == 403) {
                        finalCloseCode = 4403;
                        connectionHandler.accept("closed: 4403 " + p.getMessage());
                    } else {
                        // Refused, or connected but not authenticated (the node could not reach
                        // accounts, 503): let go of that socket and try the next server.
                        dropUnauthenticatedSocket();
                        current = (current + 1) % servers.size();
                        scheduleReconnect();
                    }
                });
            }
        });
    }

    /** Drops the connection as a network failure would (the client reconnects). For tests and tools. */
    public void dropConnection() {
        onContext(() -> socket == null ? Future.succeededFuture() : socket.close());
    }

    public Future<Void> close() {
        return onContext(() -> {
            closedByUs = true;
            vertx.cancelTimer(heartbeatTimer);
            Future<Void> closing = socket == null ? Future.succeededFuture() : socket.close();
            return closing.eventually(sockets::close);
        });
    }
}
