package io.parley.media;

import io.parley.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;

/**
 * Streams one request body into a staged file from {@code start}, never past {@code limit} bytes of
 * the blob (more is a 413, and this request's bytes are dropped), with backpressure from the disk.
 * Completes with the new offset when the body ends; when the connection drops mid-body, the bytes
 * written so far stay staged and it fails, so the client can resume from them.
 */
final class UploadReceiver {
    private final HttpServerRequest request;
    private final AsyncFile file;
    private final long start;
    private final long limit;
    private final Promise<Long> done = Promise.promise();
    private long received;

    private UploadReceiver(HttpServerRequest request, AsyncFile file, long start, long limit) {
        this.request = request;
        this.file = file;
        this.start = start;
        this.limit = limit;
    }

    /** Receives the (paused) request's body; the file is closed when this completes either way. */
    static Future<Long> receive(HttpServerRequest request, AsyncFile file, long start, long limit) {
        return new UploadReceiver(request, file, start, limit).run();
    }

    private Future<Long> run() {
        request.handler(this::chunk);
        request.exceptionHandler(e -> finish(Failure.UNAVAILABLE.exception("upload interrupted: " + e.getMessage())));
        request.endHandler(v -> finish(null));
        request.resume();
        return done.future();
    }

    private void chunk(Buffer bytes) {
        if (done.future().isComplete()) {
            return;
        }
        received += bytes.length();
        if (start + received > limit) {
            request.pause();
            request.handler(null);
            done.fail(Failure.TOO_LARGE.exception("the upload is larger than the " + limit + " bytes reserved"));
            file.close();
            return;
        }
        file.write(bytes);
        if (file.writeQueueFull()) {
            request.pause();
            file.drainHandler(v -> request.resume());
        }
    }

    private void finish(Throwable failure) {
        if (done.future().isComplete()) {
            return;
        }
        // Closing flushes what was written: a cut connection leaves those bytes to resume from.
        file.close().onComplete(closed -> {
            if (failure != null) {
                done.tryFail(failure);
            } else if (closed.failed()) {
                done.tryFail(closed.cause());
            } else {
                done.tryComplete(start + received);
            }
        });
    }
}
