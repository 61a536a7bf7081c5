package io.parley.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Uploads in progress: one file per blob under the staging folder (DATA/media/uploads), which holds
 * exactly the bytes received so far, so its size is the offset a resumed upload continues from.
 * Once complete and checked, the file goes to the blob store; a failed check deletes it.
 */
final class Staging {
    private static final int HASH_CHUNK = 256 * 1024;
    /** Bytes queued for the disk before the socket is paused (Vert.x's default is 128 KiB). */
    private static final int WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

    private final Vertx vertx;
    private final Path folder;

    Staging(Vertx vertx, Path folder) {
        this.vertx = vertx;
        this.folder = folder;
    }

    Future<Void> open() {
        return vertx.fileSystem().mkdirs(folder.toString());
    }

    Path file(UUID id) {
        return folder.resolve(id + ".part");
    }

    /** Bytes received so far (0 when nothing was). */
    Future<Long> offset(UUID id) {
        String path = file(id).toString();
        return vertx.fileSystem().exists(path).compose(there -> there
                ? vertx.fileSystem().props(path).map(p -> p.size()) : Future.succeededFuture(0L));
    }

    /** The staged file, cut to {@code offset} bytes, open for appending from there. */
    Future<AsyncFile> appendAt(UUID id, long offset) {
        String path = file(id).toString();
        return vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setCreate(true))
                .compose(file -> vertx.fileSystem().truncate(path, offset).map(v -> file.setWritePos(offset)
                        .setWriteQueueMaxSize(WRITE_QUEUE_BYTES)));
    }

    /** SHA-256 of the staged bytes, hashed on a worker. */
    Future<byte[]> digest(UUID id) {
        Path path = file(id);
        return vertx.executeBlocking(() -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[HASH_CHUNK];
            try (InputStream in = Files.newInputStream(path)) {
                for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                    sha.update(chunk, 0, n);
                }
            }
            return sha.digest();
        }, false);
    }

    Future<Void> discard(UUID id) {
        String path = file(id).toString();
        return vertx.fileSystem().exists(path).compose(there -> there ? vertx.fileSystem().delete(path)
                : Future.succeededFuture());
    }
}
