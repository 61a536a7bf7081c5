package io.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.RequestCodeResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** The steps before a connection exists: request a code, register, link a device (HTTP + protobuf JSON). */
public final class AccountsApi {
    /** By default a call that gets no answer in this time fails rather than waiting forever. */
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private final HttpClient http;
    private final ServerAddress server;
    private final long timeoutMs;

    public AccountsApi(Vertx vertx, ServerAddress server) {
        this(vertx, server, java.time.Duration.ofMillis(REQUEST_TIMEOUT_MS));
    }

    /** With a deadline of the caller's for each call (a loaded machine, a slow network). */
    public AccountsApi(Vertx vertx, ServerAddress server, java.time.Duration timeout) {
        this.timeoutMs = timeout.toMillis();
        // No keep-alive: these calls are few, and reusing pooled connections was seen to leave a
        // call unanswered (CI, one run in three) with the pool logging "Connection evicted".
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(server.tls()).setKeepAlive(false));
        this.server = server;
    }

    /** Over up to {@code connections} kept-alive connections: for load tools that register thousands of users. */
    public AccountsApi(Vertx vertx, ServerAddress server, int connections) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(server.tls()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
        this.server = server;
        this.timeoutMs = REQUEST_TIMEOUT_MS;
    }

    public Future<RequestCodeResponse> requestCode(RequestCodeRequest request) {
        return post("/v1/accounts/code", request, RequestCodeResponse.newBuilder());
    }

    public Future<DeviceCredentials> register(RegisterRequest request) {
        return post("/v1/accounts", request, DeviceCredentials.newBuilder());
    }

    public Future<DeviceCredentials> link(LinkDeviceRequest request) {
        return post("/v1/devices/link", request, DeviceCredentials.newBuilder());
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> Future<T> post(String path, Message body, Message.Builder answer) {
        String json;
        try {
            json = PRINTER.print(body);
        } catch (InvalidProtocolBufferException e) {
            return Future.failedFuture(e);
        }
        // Which step a call that gets no answer was at: told in its error, so that a hang says whether
        // the server never took the connection, never answered, or stopped half-way through a body.
        java.util.concurrent.atomic.AtomicReference<String> step = new java.util.concurrent.atomic.AtomicReference<>(
                "connecting");
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(server.host()).setPort(server.port())
                        .setURI(path).putHeader("content-type", "application/json").setTimeout(timeoutMs))
                .compose(request -> {
                    step.set("sending the request");
                    // body() in the same callback that gets the response: Vert.x drops body chunks
                    // that arrive before anything reads them (vert.x #5904), and a later callback
                    // (an outer compose runs on another turn of the loop) left calls unanswered.
                    return request.send(json).compose(response -> {
                        step.set("reading the answer's body (status " + response.statusCode() + ")");
                        return response.body().map(buffer -> (T) parse(response, buffer, answer));
                    });
                })
                .timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
                .recover(e -> Future.failedFuture(e instanceof java.util.concurrent.TimeoutException
                        || e instanceof io.vertx.core.http.HttpClosedException
                        ? new ParleyException(503, "no answer from " + server.host() + ":" + server.port() + path
                                + " within " + timeoutMs + " ms, while " + step.get() + ": " + e.getMessage())
                        : e));
    }

    /** The reply in the body of a 200, or the server's error as a ParleyException. */
    private static Message parse(io.vertx.core.http.HttpClientResponse response, io.vertx.core.buffer.Buffer buffer,
            Message.Builder answer) {
        if (response.statusCode() != 200) {
            JsonObject error = safeJson(buffer.toString());
            throw new ParleyException(error.getInteger("code", response.statusCode()),
                    error.getString("message", response.statusMessage()));
        }
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(buffer.toString(), answer);
        } catch (InvalidProtocolBufferException e) {
            throw new ParleyException(503, "server answered with something that is not a reply: " + e.getMessage());
        }
        return answer.build();
    }

    private static JsonObject safeJson(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    public Future<Void> close() {
        return http.close();
    }
}
