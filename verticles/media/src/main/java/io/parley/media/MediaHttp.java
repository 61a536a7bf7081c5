package io.parley.media;

import io.parley.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media role's HTTP side, mounted on the node's HTTP server by the edge: signed upload URLs
 * ({@code HEAD} for the received offset, {@code PUT}/{@code PATCH} with Content-Range to continue) and
 * signed download URLs ({@code GET}/{@code HEAD}, Range → 206). Bodies stream between the socket and
 * the staging file or the blob store; nothing is buffered whole. One upload per blob at a time (409).
 */
public final class MediaHttp {
    private static final Logger LOG = LoggerFactory.getLogger(MediaHttp.class);
    static final String OFFSET_HEADER = "Upload-Offset";
    static final String LENGTH_HEADER = "Upload-Length";
    private static final String RANGE = "Range";

    private final MediaStore store;
    private final BlobStorage storage;
    private final Staging staging;
    private final Clock clock;
    private final Future<UrlSigner> signer;
    private final Set<UUID> uploading = ConcurrentHashMap.newKeySet();

    private MediaHttp(Vertx vertx, MediaStore store, BlobStorage storage, MediaConfig config, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.staging = new Staging(vertx, config.stagingFolder());
        this.clock = clock;
        this.signer = Future.all(storage.open(), staging.open()).compose(v -> store.urlKey()).map(UrlSigner::new);
        signer.onFailure(e -> LOG.error("media HTTP routes cannot start: {}", e.toString()));
    }

    /** The routes under /v1/media/, for the edge to mount; one instance serves every edge instance of the node. */
    public static Handler<Router> routes(Vertx vertx, PgConnectOptions postgres, PoolOptions poolOptions,
            MediaConfig config, Clock clock) {
        MediaStore store = new MediaStore(PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build());
        MediaHttp http = new MediaHttp(vertx, store, BlobStorage.of(vertx, config), config, clock);
        return router -> {
            router.head("/v1/media/:id").handler(http::head);
            router.put("/v1/media/:id").handler(http::upload);
            router.patch("/v1/media/:id").handler(http::upload);
            router.get("/v1/media/:id").handler(http::download);
        };
    }

    private void head(RoutingContext ctx) {
        if (UrlSigner.UPLOAD.equals(ctx.queryParams().get("op"))) {
            verified(ctx, UrlSigner.UPLOAD)
                    .compose(url -> store.find(url.blobId()).map(row -> row.orElseThrow(() -> Failure.NOT_FOUND
                            .exception("no such upload (it expired, failed its digest check, or never was)")))
                            .compose(row -> (row.complete() ? Future.succeededFuture(row.size())
                                    : staging.offset(row.blobId())).map(offset -> ctx.response()
                                    .putHeader(OFFSET_HEADER, String.valueOf(offset))
                                    .putHeader(LENGTH_HEADER, String.valueOf(row.size()))
                                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store"))))
                    .onSuccess(response -> response.end())
                    .onFailure(e -> error(ctx, e));
        } else {
            download(ctx);
        }
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        AtomicBoolean cut = new AtomicBoolean();
        ctx.response().closeHandler(v -> cut.set(true));
        Future<SignedUrl> checked = verified(ctx, UrlSigner.UPLOAD).map(url -> {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && parseLength(length) > url.maxBytes()) {
                throw Failure.TOO_LARGE.exception("Content-Length " + length + " is over the " + url.maxBytes()
                        + " bytes this URL allows");
            }
            if (!uploading.add(url.blobId())) {
                throw Failure.CONFLICT.exception("an upload of this blob is already in progress");
            }
            return url;
        });
        checked.compose(url -> receive(ctx, url, cut).eventually(() -> {
                    uploading.remove(url.blobId());
                    return Future.succeededFuture();
                }))
                .onFailure(e -> error(ctx, e));
    }

    private Future<Void> receive(RoutingContext ctx, SignedUrl url, AtomicBoolean cut) {
        HttpServerRequest request = ctx.request();
        UUID id = url.blobId();
        return store.find(id).compose(found -> {
            BlobRow row = found.orElseThrow(() -> Failure.NOT_FOUND.exception(
                    "no such upload (it expired, failed its digest check, or never was)"));
            if (row.complete()) {
                throw Failure.CONFLICT.exception("this blob is already uploaded");
            }
            ByteRanges.Upload range = ByteRanges.upload(request.getHeader(HttpHeaders.CONTENT_RANGE), row.size());
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && range.start() + parseLength(length) > row.size()) {
                throw Failure.TOO_LARGE.exception("the body would end past the " + row.size() + " bytes reserved");
            }
            return staging.offset(id).compose(offset -> {
                if (request.getHeader(HttpHeaders.CONTENT_RANGE) != null && range.start() != offset) {
                    ctx.response().putHeader(OFFSET_HEADER, String.valueOf(offset));
                    throw Failure.CONFLICT.exception("the upload continues from byte " + offset + ", not "
                            + range.start());
                }
                return staging.appendAt(id, range.start());
            }).compose(file -> {
                if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                    ctx.response().writeContinue();
                }
                return UploadReceiver.receive(request, file, range.start(), row.size(), cut)
                        .recover(e -> Failure.codeOf(e) == Failure.TOO_LARGE.code()
                                ? staging.appendAt(id, range.start()).compose(f -> f.close())
                                        .compose(v -> Future.failedFuture(e))
                                : Future.failedFuture(e));
            }).compose(offset -> offset < row.size() ? partial(ctx, offset) : complete(ctx, row));
        });
    }

    private Future<Void> partial(RoutingContext ctx, long offset) {
        return ctx.response().setStatusCode(204).putHeader(OFFSET_HEADER, String.valueOf(offset)).end();
    }

    /** All bytes are in: the digest must match, or the upload is deleted, staged bytes and row alike (400). */
    private Future<Void> complete(RoutingContext ctx, BlobRow row) {
        UUID id = row.blobId();
        return staging.digest(id).compose(digest -> {
            if (!MessageDigest.isEqual(digest, row.digest())) {
                return staging.discard(id).compose(v -> store.delete(id)).compose(v -> Future.failedFuture(
                        Failure.BAD_REQUEST.exception("the uploaded bytes do not match the digest given; nothing was kept")));
            }
            return storage.put(id, staging.file(id))
                    .compose(v -> store.complete(id, clock.millis()))
                    .compose(kept -> kept ? ctx.response().setStatusCode(201)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(OFFSET_HEADER, String.valueOf(row.size()))
                            .end(new JsonObject().put("blobId", id.toString()).put("size", row.size()).encode())
                            : storage.delete(id).compose(v -> Future.failedFuture(
                                    Failure.GONE.exception("the upload expired while it completed"))));
        });
    }

    private void download(RoutingContext ctx) {
        verified(ctx, UrlSigner.DOWNLOAD)
                .compose(url -> store.find(url.blobId()))
                .compose(found -> {
                    BlobRow row = found.filter(BlobRow::complete).orElseThrow(() -> Failure.NOT_FOUND
                            .exception("no such blob (deleted, expired or never uploaded)"));
                    ByteRanges.Span span = ByteRanges.download(ctx.request().getHeader(RANGE), row.size());
                    HttpServerResponse response = ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
                            .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=0, no-store")
                            .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(span.length()));
                    if (ctx.request().getHeader(RANGE) != null) {
                        response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + span.offset() + "-"
                                + (span.offset() + span.length() - 1) + "/" + row.size());
                    }
                    if (ctx.request().method().name().equals("HEAD")) {
                        return response.end();
                    }
                    return storage.serve(row.blobId(), span.offset(), span.length(), response).recover(e -> {
                        LOG.warn("media download failed mid-body [blob: {}]: {}", row.blobId(), e.toString());
                        ctx.request().connection().close();
                        return Future.succeededFuture();
                    });
                })
                .onFailure(e -> error(ctx, e));
    }

    private Future<SignedUrl> verified(RoutingContext ctx, String op) {
        SignedUrl url;
        try {
            url = SignedUrl.of(ctx);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return signer.map(s -> url.check(s, op, clock.millis()));
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw Failure.BAD_REQUEST.exception("Content-Length is not a number");
        }
    }

    /** Answers with the Parley code and {"code", "message"}; a refused body is not read, so the connection closes. */
    private static void error(RoutingContext ctx, Throwable e) {
        int code = Failure.codeOf(e);
        if (code == Failure.UNAVAILABLE.code() && !(e instanceof io.vertx.core.eventbus.ReplyException)) {
            LOG.error("media request failed [{} {}]", ctx.request().method(), ctx.request().path(), e);
        }
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        boolean bodyUnread = !ctx.request().isEnded();
        if (bodyUnread) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("code", code).put("message", Failure.messageOf(e)).encode())
                .onComplete(v -> {
                    if (bodyUnread) {
                        ctx.request().connection().close();
                    }
                });
    }
}
