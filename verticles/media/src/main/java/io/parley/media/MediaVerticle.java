package io.parley.media;

import io.parley.bus.Addresses;
import io.parley.bus.Rpc;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media role's bus side: serves {@code media_upload} and {@code media_download}, the internal
 * pin and release addresses, and runs the sweep every {@code media.sweepSeconds}. The HTTP side is
 * {@link MediaHttp}, mounted on the edge's server.
 */
public final class MediaVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MediaVerticle.class);

    private final PgConnectOptions postgres;
    private final PoolOptions poolOptions;
    private final MediaConfig config;
    private final Clock clock;
    private BlobStorage storage;

    public MediaVerticle(PgConnectOptions postgres, PoolOptions poolOptions, MediaConfig config, Clock clock) {
        this.postgres = postgres;
        this.poolOptions = poolOptions;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        MediaStore store = new MediaStore(PgBuilder.pool().with(poolOptions).connectingTo(postgres).using(vertx).build());
        storage = BlobStorage.of(vertx, config);
        Staging staging = new Staging(vertx, config.stagingFolder());
        return Future.all(storage.open(), staging.open()).compose(v -> store.urlKey()).compose(key -> {
            MediaService media = new MediaService(store, storage, staging, new UrlSigner(key), config, clock);
            vertx.setPeriodic(config.sweepInterval().toMillis(), id -> media.sweep()
                    .onSuccess(n -> {
                        if (n > 0) {
                            LOG.info("media sweep deleted {} blobs", n);
                        }
                    })
                    .onFailure(e -> LOG.warn("media sweep failed: {}", e.toString())));
            return Future.all(List.of(
                    Rpc.serve(vertx, BodyCase.MEDIA_UPLOAD, media::upload).completion(),
                    Rpc.serve(vertx, BodyCase.MEDIA_DOWNLOAD, media::download).completion(),
                    Rpc.serveInternal(vertx, Addresses.MEDIA_PIN, media::pin).completion(),
                    Rpc.serveInternal(vertx, Addresses.MEDIA_RELEASE, media::release).completion()));
        });
    }

    @Override
    public Future<?> stop() {
        if (storage != null) {
            storage.close();
        }
        return Future.succeededFuture();
    }
}
