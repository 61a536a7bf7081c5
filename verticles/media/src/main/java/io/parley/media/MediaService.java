package io.parley.media;

import com.google.protobuf.ByteString;
import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.MediaDownload;
import io.parley.proto.MediaDownloadRequest;
import io.parley.proto.MediaKind;
import io.parley.proto.MediaPinRequest;
import io.parley.proto.MediaReleaseRequest;
import io.parley.proto.MediaReleased;
import io.parley.proto.MediaUpload;
import io.parley.proto.MediaUploadRequest;
import io.parley.proto.Ok;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media role's bus side: reserves blobs and signs their upload URLs, signs download URLs for
 * completed blobs, pins and releases blobs for their holders (status posts), and sweeps incomplete
 * uploads and unreferenced blobs past their time, deleting their bytes from the store.
 */
final class MediaService {
    /** A queued deletion younger than this may still be under way: the sweep leaves it alone. */
    static final long UNFINISHED_DELETION_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(MediaService.class);
    private static final int DIGEST_BYTES = 32;

    private final MediaStore store;
    private final BlobStorage storage;
    private final Staging staging;
    private final UrlSigner signer;
    private final MediaConfig config;
    private final Clock clock;

    MediaService(MediaStore store, BlobStorage storage, Staging staging, UrlSigner signer, MediaConfig config, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.staging = staging;
        this.signer = signer;
        this.config = config;
        this.clock = clock;
    }

    Future<MediaUpload> upload(Caller caller, MediaUploadRequest request) {
        if (request.getKind() == MediaKind.MEDIA_KIND_UNSPECIFIED || request.getKind() == MediaKind.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("kind must be image, video, document or voice");
        }
        if (request.getDigest().size() != DIGEST_BYTES) {
            throw Failure.BAD_REQUEST.exception("digest must be the 32-byte SHA-256 of the ciphertext");
        }
        if (request.getSize() == 0) {
            throw Failure.BAD_REQUEST.exception("size must be the ciphertext's length in bytes, more than 0");
        }
        long cap = config.capOf(request.getKind());
        if (request.getSize() > cap) {
            throw Failure.TOO_LARGE.exception(kindName(request.getKind()) + " uploads are limited to " + cap + " bytes");
        }
        long now = clock.millis();
        UUID id = UUID.randomUUID();
        long expires = now + config.urlLifetime().toMillis();
        return store.reserve(new BlobRow(id, caller.userId(), request.getKind(), request.getSize(),
                        request.getDigest().toByteArray(), false, now))
                .map(v -> MediaUpload.newBuilder().setBlobId(Ids.bytes(id))
                        .setUploadPath(signer.path(UrlSigner.UPLOAD, id, expires, request.getSize()))
                        .setExpiresAtMs(expires).setMaxBytes(request.getSize()).build());
    }

    Future<MediaDownload> download(Caller caller, MediaDownloadRequest request) {
        UUID id = Ids.uuid(request.getBlobId(), "blob_id");
        return store.find(id).map(found -> {
            BlobRow row = found.filter(BlobRow::complete).orElseThrow(() -> Failure.NOT_FOUND.exception(
                    "no such blob (deleted, expired or never uploaded)"));
            long expires = clock.millis() + config.urlLifetime().toMillis();
            return MediaDownload.newBuilder().setBlobId(request.getBlobId())
                    .setDownloadPath(signer.path(UrlSigner.DOWNLOAD, id, expires, row.size()))
                    .setExpiresAtMs(expires).setSize(row.size()).setDigest(ByteString.copyFrom(row.digest())).build();
        });
    }

    Future<Ok> pin(MediaPinRequest request) {
        UUID id = Ids.uuid(request.getBlobId(), "blob_id");
        UUID owner = Ids.uuid(request.getOwner(), "owner");
        if (request.getHolder().isEmpty()) {
            throw Failure.BAD_REQUEST.exception("a pin needs a holder");
        }
        return store.find(id).compose(found -> {
            BlobRow row = found.filter(BlobRow::complete).orElseThrow(() -> Failure.NOT_FOUND.exception(
                    "no uploaded blob " + id));
            if (!row.owner().equals(owner)) {
                throw Failure.FORBIDDEN.exception("blob " + id + " was uploaded by someone else");
            }
            return store.pin(id, request.getHolder());
        }).map(v -> Ok.getDefaultInstance());
    }

    Future<MediaReleased> release(MediaReleaseRequest request) {
        return store.release(request.getHolder(), clock.millis()).compose(this::deleteBytes)
                .map(n -> MediaReleased.newBuilder().setDeletedBlobs(n).build());
    }

    /**
     * One sweep: incomplete uploads past their lifetime, unpinned blobs past the retention, then the
     * bytes of blobs whose rows went earlier but whose deletion did not finish (a stop or a failed
     * delete in the blob store) a minute or more ago.
     */
    Future<Integer> sweep() {
        long now = clock.millis();
        return store.sweepIncomplete(now - config.uploadLifetime().toMillis())
                .compose(ids -> Future.join(ids.stream().map(staging::discard).toList()).transform(v -> Future
                        .succeededFuture(ids.size())))
                .compose(incomplete -> store.sweepUnreferenced(now - config.unreferencedRetention().toMillis(), now)
                        .compose(this::deleteBytes).map(n -> n + incomplete))
                .compose(deleted -> store.pendingDeletions(now - UNFINISHED_DELETION_MILLIS).compose(this::deleteBytes)
                        .map(retried -> deleted + retried));
    }

    /**
     * Deletes the bytes of blobs whose rows are gone, then forgets the ones deleted; a failure is
     * logged, stays queued for the next sweep, and the others still go.
     */
    private Future<Integer> deleteBytes(List<UUID> ids) {
        List<Future<UUID>> deletions = new ArrayList<>();
        for (UUID id : ids) {
            deletions.add(storage.delete(id).map(v -> id).onFailure(e -> LOG.warn("blob bytes not deleted [blob: {}]: {}",
                    id, e.toString())));
        }
        return Future.join(deletions).transform(v -> {
            List<UUID> done = deletions.stream().filter(Future::succeeded).map(Future::result).toList();
            return store.deletionsDone(done).transform(forgotten -> {
                if (forgotten.failed()) {
                    LOG.warn("deleted blobs not forgotten (deleted again next sweep): {}", forgotten.cause().toString());
                }
                return Future.succeededFuture(ids.size());
            });
        });
    }

    private static String kindName(MediaKind kind) {
        return kind.name().substring("MEDIA_KIND_".length()).toLowerCase();
    }
}
