package io.parley.client.media;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.client.ServerAddress;
import io.parley.proto.MediaDownload;
import io.parley.proto.MediaDownloadRequest;
import io.parley.proto.MediaKind;
import io.parley.proto.MediaUpload;
import io.parley.proto.MediaUploadRequest;
import io.parley.proto.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Uploads and downloads of encrypted blobs: asks for a signed URL over the connection, then moves
 * the bytes over HTTP to the same server. An upload that breaks off resumes from the offset the
 * server reports (HEAD, then PUT with Content-Range); a download that breaks off continues with a
 * Range request from the bytes already on disk. Refusals (4xx) fail at once with the server's code.
 */
public final class MediaApi {
    private static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_DELAY_MS = 200;
    private static final String OFFSET_HEADER = "Upload-Offset";
    /** File reads per upload chunk; Vert.x's 8 KiB default costs a worker hop per 8 KiB. */
    private static final int READ_BUFFER = 256 * 1024;

    private final ParleyClient client;
    private final HttpClient http;

    public MediaApi(ParleyClient client) {
        this.client = client;
        ServerAddress server = client.server();
        this.http = client.vertx().createHttpClient(new HttpClientOptions().setSsl(server.tls())
                .setDefaultHost(server.host()).setDefaultPort(server.port()));
    }

    /** Reserves a blob for {@code size} bytes of ciphertext with this digest. */
    public Future<MediaUpload> reserve(MediaKind kind, long size, byte[] digest) {
        return client.send(Request.newBuilder().setMediaUpload(MediaUploadRequest.newBuilder().setKind(kind).setSize(size)
                .setDigest(com.google.protobuf.ByteString.copyFrom(digest)))).map(r -> r.getMediaUpload());
    }

    /** Reserves and uploads a sealed file; completes with the blob id once the server kept it. */
    public Future<UUID> upload(MediaKind kind, Path sealed, AttachmentCipher.Sealed meta) {
        return reserve(kind, meta.size(), meta.digest()).compose(upload -> transfer(upload, sealed, 1)
                .map(v -> Ids.uuid(upload.getBlobId(), "blob_id")));
    }

    /** Continues (or starts) an upload from wherever the server says it stands, retrying broken connections. */
    public Future<Void> transfer(MediaUpload upload, Path sealed, int attempt) {
        return offset(upload).compose(offset -> offset >= upload.getMaxBytes() ? Future.<Void>succeededFuture()
                : put(upload, sealed, offset).compose(done -> done ? Future.<Void>succeededFuture()
                        : transfer(upload, sealed, attempt)))
                // A 409 here is the server still finishing the request of a connection that broke, or an
                // offset that moved meanwhile: ask for the offset again.
                .recover(e -> retry(e instanceof ParleyException p && p.code() == 409
                        ? new ParleyException(503, e.getMessage()) : e, attempt, () -> transfer(upload, sealed, attempt + 1)));
    }

    /** How many bytes of this upload the server holds. */
    public Future<Long> offset(MediaUpload upload) {
        return http.request(new RequestOptions().setMethod(HttpMethod.HEAD).setURI(upload.getUploadPath()))
                .compose(req -> req.send()
                        .compose(resp -> refused(resp).map(v -> Long.parseLong(resp.getHeader(OFFSET_HEADER)))));
    }

    /** PUTs the rest of the file from {@code offset}; true when the server says the upload is complete. */
    private Future<Boolean> put(MediaUpload upload, Path sealed, long offset) {
        long size = upload.getMaxBytes();
        return client.vertx().fileSystem().open(sealed.toString(), new OpenOptions().setRead(true)).compose(file -> {
            file.setReadPos(offset).setReadLength(size - offset).setReadBufferSize(READ_BUFFER);
            return http.request(new RequestOptions().setMethod(HttpMethod.PUT).setURI(upload.getUploadPath()))
                    .compose(req -> req.putHeader("Content-Length", String.valueOf(size - offset))
                            .putHeader("Content-Range", "bytes " + offset + "-" + (size - 1) + "/" + size)
                            .putHeader("Content-Type", "application/octet-stream")
                            .send(file)
                            .compose(resp -> refused(resp).map(v -> resp.statusCode() == 201)))
                    .eventually(() -> file.close());
        });
    }

    /** A signed download URL for a blob (404 when it is gone). */
    public Future<MediaDownload> downloadUrl(UUID blobId) {
        return client.send(Request.newBuilder().setMediaDownload(MediaDownloadRequest.newBuilder()
                .setBlobId(Ids.bytes(blobId)))).map(r -> r.getMediaDownload());
    }

    /** Downloads a blob into {@code target}, continuing from the bytes already there after a break. */
    public Future<Void> download(UUID blobId, Path target) {
        return downloadUrl(blobId).compose(url -> fetch(url, target, 1));
    }

    private Future<Void> fetch(MediaDownload url, Path target, int attempt) {
        String path = target.toString();
        return client.vertx().fileSystem().exists(path)
                .compose(there -> there ? client.vertx().fileSystem().props(path).map(p -> p.size())
                        : Future.succeededFuture(0L))
                .compose(have -> have >= url.getSize() ? Future.<Void>succeededFuture() : client.vertx().fileSystem()
                        .open(path, new OpenOptions().setWrite(true).setCreate(true).setAppend(true))
                        .compose(file -> http.request(new RequestOptions().setMethod(HttpMethod.GET)
                                        .setURI(url.getDownloadPath()))
                                // The response is read in the callback that gets it: Vert.x drops body
                                // chunks that arrive before a handler is set (see AccountsApi).
                                .compose(req -> (have > 0 ? req.putHeader("Range", "bytes=" + have + "-") : req).send()
                                        .compose(resp -> refused(resp).compose(v -> resp.pipeTo(file))))
                                .recover(e -> file.close().transform(c -> Future.failedFuture(e)))))
                .recover(e -> retry(e, attempt, () -> fetch(url, target, attempt + 1)));
    }

    /** Fails with the server's code and message on a 4xx or 5xx answer. */
    private static Future<Void> refused(HttpClientResponse resp) {
        if (resp.statusCode() < 400) {
            return Future.succeededFuture();
        }
        return resp.body().transform(body -> {
            String message = "HTTP " + resp.statusCode();
            if (body.succeeded()) {
                try {
                    message = new JsonObject(body.result()).getString("message", message);
                } catch (RuntimeException e) {
                    // Not our JSON: keep the status line.
                }
            }
            return Future.failedFuture(new ParleyException(resp.statusCode(), message));
        });
    }

    /** Broken connections and 503s are tried again, a bounded number of times; refusals are not. */
    private <T> Future<T> retry(Throwable e, int attempt, java.util.function.Supplier<Future<T>> again) {
        boolean refusal = e instanceof ParleyException p && p.code() != 503;
        if (refusal || attempt >= MAX_ATTEMPTS) {
            return Future.failedFuture(e);
        }
        Promise<T> later = Promise.promise();
        client.vertx().setTimer(RETRY_DELAY_MS * attempt, t -> again.get().onComplete(later));
        return later.future();
    }

    public Future<Void> close() {
        return http.close();
    }

}
