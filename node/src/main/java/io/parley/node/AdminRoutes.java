package io.parley.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.parley.bus.Addresses;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.AdminDevices;
import io.parley.proto.AdminDevicesRequest;
import io.parley.proto.AdminDisableRequest;
import io.parley.proto.AdminDisabled;
import io.parley.proto.AdminUsers;
import io.parley.proto.AdminUsersRequest;
import io.parley.proto.InboxDepths;
import io.parley.proto.InboxDepthsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Function;

/**
 * The admin API behind {@code ./parley admin}, on the edge's HTTP server under /v1/admin, with a
 * bearer token (AdminToken): list accounts, an account's devices, inbox depths; disable and
 * enable an account. Each call is one request to the owning verticle; answers are JSON with ids
 * as UUID strings; errors carry the Parley code as the HTTP status.
 */
final class AdminRoutes {
    private static final long TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final byte[] token;

    AdminRoutes(Vertx vertx, String token) {
        this.vertx = vertx;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    void mount(Router router) {
        router.route("/v1/admin/*").handler(this::authorize);
        router.get("/v1/admin/users").handler(ctx -> call(ctx, Addresses.ADMIN_USERS, () -> AdminUsersRequest.newBuilder()
                .setAfterUser(optionalId(ctx.queryParams().get("after"), "after")).setLimit(limit(ctx)).build(),
                (AdminUsers r) -> users(r)));
        router.get("/v1/admin/users/:user/devices").handler(ctx -> call(ctx, Addresses.ADMIN_DEVICES, () -> {
            AdminDevicesRequest.Builder q = AdminDevicesRequest.newBuilder();
            account(ctx, q::setUserId, q::setUsername);
            return q.build();
        }, (AdminDevices r) -> devices(r)));
        router.post("/v1/admin/users/:user/disable").handler(ctx -> disable(ctx, false));
        router.post("/v1/admin/users/:user/enable").handler(ctx -> disable(ctx, true));
        router.get("/v1/admin/inbox-depths").handler(ctx -> call(ctx, Addresses.ADMIN_INBOX_DEPTHS,
                () -> InboxDepthsRequest.newBuilder().setUserId(optionalId(ctx.queryParams().get("user"), "user"))
                        .setLimit(limit(ctx)).build(), (InboxDepths r) -> depths(r)));
    }

    private void authorize(RoutingContext ctx) {
        String given = ctx.request().getHeader("Authorization");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            error(ctx, Failure.UNAUTHORIZED.code(), "the admin API needs 'Authorization: Bearer TOKEN' with the token in "
                    + "DATA/" + AdminToken.FILE + " or admin.token");
            return;
        }
        ctx.next();
    }

    private void disable(RoutingContext ctx, boolean enable) {
        call(ctx, Addresses.ADMIN_DISABLE, () -> {
            AdminDisableRequest.Builder q = AdminDisableRequest.newBuilder().setEnable(enable);
            account(ctx, q::setUserId, q::setUsername);
            return q.build();
        }, (AdminDisabled r) -> new JsonObject().put("userId", uuid(r.getUserId())).put("disabled", r.getDisabled())
                .put("devicesDisconnected", r.getDevicesDisconnected()));
    }

    @SuppressWarnings("unchecked")
    private <R> void call(RoutingContext ctx, String address, java.util.function.Supplier<Message> request,
            Function<R, JsonObject> print) {
        Message body;
        try {
            body = request.get();
        } catch (RuntimeException e) {
            error(ctx, Failure.codeOf(e), Failure.messageOf(e));
            return;
        }
        vertx.eventBus().<Message>request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(reply -> print.apply((R) reply.body()))
                .onSuccess(json -> ctx.response().putHeader("content-type", "application/json").end(json.encode()))
                .onFailure(e -> error(ctx, Failure.codeOf(e), Failure.messageOf(e)));
    }

    /** ":user" is a user id (UUID) or a username. */
    private static void account(RoutingContext ctx, Function<ByteString, ?> byId, Function<String, ?> byName) {
        String user = ctx.pathParam("user");
        try {
            byId.apply(Ids.bytes(UUID.fromString(user)));
        } catch (IllegalArgumentException e) {
            byName.apply(user);
        }
    }

    private static ByteString optionalId(String value, String name) {
        if (value == null || value.isEmpty()) {
            return ByteString.EMPTY;
        }
        try {
            return Ids.bytes(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            throw Failure.BAD_REQUEST.exception(name + " must be a user id (UUID)");
        }
    }

    private static int limit(RoutingContext ctx) {
        String limit = ctx.queryParams().get("limit");
        if (limit == null) {
            return 0;
        }
        if (!limit.matches("[0-9]{1,6}")) {
            throw Failure.BAD_REQUEST.exception("limit must be a whole number");
        }
        return Integer.parseInt(limit);
    }

    private static JsonObject users(AdminUsers r) {
        JsonArray users = new JsonArray();
        r.getUsersList().forEach(u -> users.add(new JsonObject().put("userId", uuid(u.getUserId()))
                .put("username", u.getUsername()).put("phone", u.getPhone()).put("disabled", u.getDisabled())
                .put("devices", u.getDevices()).put("createdMs", u.getCreatedMs())));
        return new JsonObject().put("users", users);
    }

    private static JsonObject devices(AdminDevices r) {
        JsonArray devices = new JsonArray();
        r.getDevicesList().forEach(d -> devices.add(new JsonObject().put("deviceId", d.getDeviceId()).put("name", d.getName())
                .put("connected", d.getConnected()).put("createdMs", d.getCreatedMs())));
        return new JsonObject().put("userId", uuid(r.getUserId())).put("devices", devices);
    }

    private static JsonObject depths(InboxDepths r) {
        JsonArray devices = new JsonArray();
        r.getDevicesList().forEach(d -> devices.add(new JsonObject().put("userId", uuid(d.getDevice().getUserId()))
                .put("deviceId", d.getDevice().getDeviceId()).put("envelopes", d.getEnvelopes())));
        return new JsonObject().put("total", r.getTotal()).put("devices", devices);
    }

    private static String uuid(ByteString id) {
        return Ids.uuid(id, "id").toString();
    }

    private static void error(RoutingContext ctx, int code, String message) {
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
                .end(new JsonObject().put("code", code).put("message", message).encode());
    }
}
