package io.parley.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where completed blobs live: a local folder ({@link LocalStorage}, the default) or an S3-compatible
 * store ({@link S3Storage}). Blobs are opaque ciphertext named by their id; every call is
 * non-blocking for the caller's event loop.
 */
interface BlobStorage {
    /** Makes the folder or checks (and if need be creates) the bucket. */
    Future<Void> open();

    /** Takes a fully uploaded, checked file into the store under {@code id}; the staged file is consumed. */
    Future<Void> put(UUID id, Path staged);

    /** Writes {@code length} bytes from {@code offset} of the blob to the response and ends it. */
    Future<Void> serve(UUID id, long offset, long length, HttpServerResponse response);

    /** Deletes the blob; deleting a blob that is not there succeeds. */
    Future<Void> delete(UUID id);

    Future<Boolean> exists(UUID id);

    void close();

    static BlobStorage of(Vertx vertx, MediaConfig config) {
        return config.s3().<BlobStorage>map(s3 -> new S3Storage(vertx, s3)).orElseGet(() -> new LocalStorage(vertx,
                config.localFolder()));
    }
}
