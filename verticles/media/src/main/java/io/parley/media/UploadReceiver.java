package io.parley.media;

import io.parley.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams one request body into a staged file from {@code start}, never past {@code limit} bytes of
 * the blob (more is a 413, and this request's bytes are dropped), with backpressure from the disk.
 * Completes with the new offset when the body ends; when the connection drops mid-body, the bytes
 * received so far stay staged (those still in the socket while it was paused for the disk may be
 * lost) and it fails, so the client can resume from the offset the staged file then has.
 */
final class UploadReceiver {
    /** Socket chunks are gathered up to this size before each file write (one worker hop per write). */
    private static final int WRITE_BATCH = 256 * 1024;

    private final HttpServerRequest request;
    private final AsyncFile file;
    private final long start;
    private final long limit;
    private final Promise<Long> done = Promise.promise();
    private long received;
    private boolean overflowed;
    private Buffer pending = Buffer.buffer(WRITE_BATCH);

    private final AtomicBoolean cutBefore;

    private UploadReceiver(HttpServerRequest request, AsyncFile file, long start, long limit, AtomicBoolean cutBefore) {
        this.cutBefore = cutBefore;
        this.request = request;
        this.file = file;
        this.start = start;
        this.limit = limit;
    }

    /**
     * Receives the (paused) request's body; the file is closed when this completes either way.
     * {@code cutBefore} is set when the connection closed while the request waited to be read.
     */
    static Future<Long> receive(HttpServerRequest request, AsyncFile file, long start, long limit,
            AtomicBoolean cutBefore) {
        return new UploadReceiver(request, file, start, limit, cutBefore).run();
    }

    private Future<Long> run() {
        request.handler(this::chunk);
        request.exceptionHandler(e -> finish(Failure.UNAVAILABLE.exception("upload interrupted: " + e.getMessage())));
        request.endHandler(v -> finish(null));
        // A connection cut mid-body is reported to the response (the request may be paused for the disk).
        request.response().closeHandler(v -> finish(Failure.UNAVAILABLE.exception("upload interrupted: connection closed")));
        request.resume();
        if (cutBefore.get()) {
            // The close came before these handlers: take the bytes queued meanwhile (resuming hands them
            // over in a task on this context), then stop, since no end or close will come any more.
            Vertx.currentContext().runOnContext(v -> finish(Failure.UNAVAILABLE.exception(
                    "upload interrupted: connection closed")));
        }
        return done.future();
    }

    private void chunk(Buffer bytes) {
        if (overflowed || done.future().isComplete()) {
            return;
        }
        received += bytes.length();
        if (start + received > limit) {
            request.pause();
            request.handler(null);
            // Failed once the file is closed, so that no write of this request lands after the caller cuts it back.
            file.close().onComplete(closed -> done.tryFail(Failure.TOO_LARGE.exception("the upload is larger than the "
                    + limit + " bytes reserved")));
            overflowed = true;
            return;
        }
        pending.appendBuffer(bytes);
        if (pending.length() >= WRITE_BATCH) {
            flush();
        }
    }

    private void flush() {
        if (pending.length() == 0) {
            return;
        }
        file.write(pending);
        pending = Buffer.buffer(WRITE_BATCH);
        if (file.writeQueueFull()) {
            request.pause();
            file.drainHandler(v -> request.resume());
        }
    }

    private void finish(Throwable failure) {
        if (overflowed || done.future().isComplete()) {
            return;
        }
        // Closing flushes what was written: a cut connection leaves those bytes to resume from.
        flush();
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
