package io.parley.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.UUID;

/** Blobs as files under a folder (DATA/media/blobs by default), two hex characters of fan-out per level. */
final class LocalStorage implements BlobStorage {
    private final Vertx vertx;
    private final Path folder;

    LocalStorage(Vertx vertx, Path folder) {
        this.vertx = vertx;
        this.folder = folder;
    }

    @Override
    public Future<Void> open() {
        return vertx.fileSystem().mkdirs(folder.toString());
    }

    @Override
    public Future<Void> put(UUID id, Path staged) {
        Path target = file(id);
        return vertx.fileSystem().mkdirs(target.getParent().toString())
                .compose(v -> vertx.fileSystem().move(staged.toString(), target.toString(),
                        new CopyOptions().setReplaceExisting(true)));
    }

    @Override
    public Future<Void> serve(UUID id, long offset, long length, HttpServerResponse response) {
        return response.sendFile(file(id).toString(), offset, length);
    }

    @Override
    public Future<Void> delete(UUID id) {
        String path = file(id).toString();
        return vertx.fileSystem().exists(path).compose(there -> there ? vertx.fileSystem().delete(path)
                : Future.succeededFuture());
    }

    @Override
    public Future<Boolean> exists(UUID id) {
        return vertx.fileSystem().exists(file(id).toString());
    }

    @Override
    public void close() {
    }

    Path file(UUID id) {
        String name = id.toString();
        return folder.resolve(name.substring(0, 2)).resolve(name);
    }
}
