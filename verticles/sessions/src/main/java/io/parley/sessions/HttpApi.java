package io.parley.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.parley.bus.Addresses;
import io.parley.bus.Failure;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The steps that happen before a device has a connection, over HTTP with canonical protobuf JSON:
 * POST /v1/accounts/code, POST /v1/accounts, POST /v1/devices/link. Errors answer with the Parley
 * code as HTTP status and {"code": ..., "message": ...}.
 */
final class HttpApi {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final Vertx vertx;
    private final RateLimiter limiter;
    private final long timeoutMs;

    HttpApi(Vertx vertx, RateLimiter limiter, long timeoutMs) {
        this.vertx = vertx;
        this.limiter = limiter;
        this.timeoutMs = timeoutMs;
    }

    void mount(Router router) {
        BodyHandler body = BodyHandler.create().setBodyLimit(BODY_LIMIT).setHandleFileUploads(false);
        router.post("/v1/accounts/code").handler(body).handler(ctx -> call(ctx, RequestCodeRequest::newBuilder,
                Addresses.ACCOUNTS_REQUEST_CODE));
        router.post("/v1/accounts").handler(body).handler(ctx -> call(ctx, RegisterRequest::newBuilder,
                Addresses.ACCOUNTS_REGISTER));
        router.post("/v1/devices/link").handler(body).handler(ctx -> call(ctx, LinkDeviceRequest::newBuilder,
                Addresses.ACCOUNTS_LINK));
    }

    private void call(RoutingContext ctx, Supplier<Message.Builder> builder, String address) {
        Message.Builder request = builder.get();
        try {
            PARSER.merge(ctx.body().asString(), request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            error(ctx, Failure.BAD_REQUEST.code(), "body is not a valid JSON request: " + e.getMessage());
            return;
        }
        limiter.allowAddress(ctx.request().remoteAddress().hostAddress())
                .compose(allowed -> allowed
                        ? vertx.eventBus().<Message>request(address, request.build(), new DeliveryOptions().setSendTimeout(timeoutMs))
                        : io.vertx.core.Future.failedFuture(Failure.RATE_LIMITED.exception("too many requests from this address")))
                .onSuccess(reply -> {
                    try {
                        ctx.response().putHeader("content-type", "application/json").end(PRINTER.print(reply.body()));
                    } catch (InvalidProtocolBufferException e) {
                        error(ctx, Failure.UNAVAILABLE.code(), "reply could not be printed");
                    }
                })
                .onFailure(e -> error(ctx, Failure.codeOf(e), Failure.messageOf(e)));
    }

    static void error(RoutingContext ctx, int code, String message) {
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
                .end(new JsonObject().put("code", code).put("message", message).encode());
    }
}
