package io.parley.node;

import io.parley.bus.Addresses;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Authenticate;
import io.parley.proto.BackupBlob;
import io.parley.proto.BackupGet;
import io.parley.proto.BackupInfo;
import io.parley.proto.BackupPut;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The encrypted backup API, for a device with its credentials
 * ({@code Authorization: Basic base64(USER_ID.DEVICE_ID:PASSWORD)}): {@code PUT /v1/backup} stores
 * the body (opaque, at most backup.maxBytes: 413 beyond), {@code GET /v1/backup} returns it
 * ({@code application/octet-stream}, 404 when there is none), {@code DELETE /v1/backup} removes it.
 * The device is checked by accounts, which also stores the blob.
 */
final class BackupRoutes {
    private static final long TIMEOUT_MS = 30_000;

    private final Vertx vertx;
    private final int maxBytes;

    BackupRoutes(Vertx vertx, int maxBytes) {
        this.vertx = vertx;
        this.maxBytes = maxBytes;
    }

    void mount(Router router) {
        // Two routes: Vert.x wants the body handler first on its route.
        router.put("/v1/backup").handler(this::refuseDeclaredOversize);
        router.put("/v1/backup").handler(BodyHandler.create().setBodyLimit(maxBytes).setHandleFileUploads(false))
                .handler(this::put).failureHandler(this::failed);
        router.get("/v1/backup").handler(ctx -> authenticated(ctx).compose(device -> request(Addresses.ACCOUNTS_BACKUP_GET,
                        BackupGet.newBuilder().setUserId(Ids.bytes(device.userId())).build()))
                .onSuccess(blob -> {
                    BackupBlob backup = (BackupBlob) blob;
                    ctx.response().putHeader("content-type", "application/octet-stream")
                            .putHeader("x-parley-backup-device", String.valueOf(backup.getDeviceId()))
                            .putHeader("x-parley-backup-updated-ms", String.valueOf(backup.getUpdatedMs()))
                            .end(io.vertx.core.buffer.Buffer.buffer(backup.getBlob().toByteArray()));
                })
                .onFailure(e -> error(ctx, Failure.codeOf(e), Failure.messageOf(e))));
        router.delete("/v1/backup").handler(ctx -> authenticated(ctx).compose(device -> request(Addresses.ACCOUNTS_BACKUP_GET,
                        BackupGet.newBuilder().setUserId(Ids.bytes(device.userId())).setDelete(true).build()))
                .onSuccess(info -> info(ctx, (BackupInfo) info))
                .onFailure(e -> error(ctx, Failure.codeOf(e), Failure.messageOf(e))));
    }

    private record DeviceId(UUID userId, int deviceId) {
    }

    /** Refuses a body announced as too large before reading any of it. */
    private void refuseDeclaredOversize(RoutingContext ctx) {
        String length = ctx.request().getHeader("content-length");
        if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBytes) {
            error(ctx, Failure.TOO_LARGE.code(), tooLarge());
            return;
        }
        ctx.next();
    }

    private void put(RoutingContext ctx) {
        byte[] blob = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        authenticated(ctx).compose(device -> request(Addresses.ACCOUNTS_BACKUP_PUT, BackupPut.newBuilder()
                        .setUserId(Ids.bytes(device.userId())).setDeviceId(device.deviceId())
                        .setBlob(com.google.protobuf.ByteString.copyFrom(blob)).build()))
                .onSuccess(info -> info(ctx, (BackupInfo) info))
                .onFailure(e -> error(ctx, Failure.codeOf(e), Failure.messageOf(e)));
    }

    /** BodyHandler fails the route with 413 when a body grows past the limit. */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode() == 413 ? Failure.TOO_LARGE.code() : Failure.BAD_REQUEST.code();
        error(ctx, status, status == 413 ? tooLarge() : "the backup could not be read");
    }

    private String tooLarge() {
        return "a backup may have at most " + maxBytes + " bytes";
    }

    /** The device named by the Basic credentials, once accounts accepted them. */
    private Future<DeviceId> authenticated(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return Future.failedFuture(Failure.UNAUTHORIZED.exception(
                    "a backup needs 'Authorization: Basic base64(USER_ID.DEVICE_ID:PASSWORD)'"));
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(Failure.UNAUTHORIZED.exception("the Basic credentials are not base64"));
        }
        int colon = decoded.indexOf(':');
        int dot = colon < 0 ? -1 : decoded.lastIndexOf('.', colon);
        if (dot < 0 || !decoded.substring(dot + 1, colon).matches("[0-9]{1,9}")) {
            return Future.failedFuture(Failure.UNAUTHORIZED.exception("the user name must be USER_ID.DEVICE_ID"));
        }
        UUID userId;
        try {
            userId = UUID.fromString(decoded.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(Failure.UNAUTHORIZED.exception("the user name must start with a user id"));
        }
        DeviceId device = new DeviceId(userId, Integer.parseInt(decoded.substring(dot + 1, colon)));
        return request(Addresses.ACCOUNTS_AUTHENTICATE, Authenticate.newBuilder().setUserId(Ids.bytes(userId))
                .setDeviceId(device.deviceId()).setPassword(decoded.substring(colon + 1)).build()).map(ok -> device);
    }

    private Future<Object> request(String address, Object body) {
        return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                .map(io.vertx.core.eventbus.Message::body);
    }

    private static void info(RoutingContext ctx, BackupInfo info) {
        ctx.response().putHeader("content-type", "application/json").end(new JsonObject().put("bytes", info.getBytes())
                .put("updatedMs", info.getUpdatedMs()).encode());
    }

    private static void error(RoutingContext ctx, int code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json")
                .end(new JsonObject().put("code", code).put("message", message).encode());
    }
}
