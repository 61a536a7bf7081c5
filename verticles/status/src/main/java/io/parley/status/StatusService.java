package io.parley.status;

import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.DeleteStatusRequest;
import io.parley.proto.ListStatusRequest;
import io.parley.proto.MediaPinRequest;
import io.parley.proto.MediaReleaseRequest;
import io.parley.proto.MediaReleased;
import io.parley.proto.Ok;
import io.parley.proto.PostStatusRequest;
import io.parley.proto.StatusCopy;
import io.parley.proto.StatusList;
import io.parley.proto.StatusPosted;
import io.parley.proto.StatusSummary;
import io.parley.proto.StatusView;
import io.parley.proto.StatusViewer;
import io.parley.proto.StatusViewers;
import io.parley.proto.StatusViewersRequest;
import io.parley.proto.ViewStatusRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status posts: stores the poster's per-device copies and pins the post's media (through the media
 * role), hands each device only its own copy (no copy: 404, as if there were no post), records views
 * for the poster's viewers list, and deletes expired posts after releasing their media, which the
 * media role then deletes.
 */
final class StatusService {
    private static final Logger LOG = LoggerFactory.getLogger(StatusService.class);
    private static final String HOLDER_PREFIX = "status:";

    private final Vertx vertx;
    private final StatusStore store;
    private final StatusConfig config;
    private final Clock clock;

    StatusService(Vertx vertx, StatusStore store, StatusConfig config, Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    Future<StatusPosted> post(Caller caller, PostStatusRequest request) {
        if (request.getCopiesCount() == 0) {
            throw Failure.BAD_REQUEST.exception("a status post needs at least one device copy");
        }
        if (request.getCopiesCount() > config.maxCopies()) {
            throw Failure.TOO_LARGE.exception("a status post may carry at most " + config.maxCopies() + " device copies");
        }
        if (request.getBlobIdsCount() > config.maxBlobs()) {
            throw Failure.TOO_LARGE.exception("a status post may show at most " + config.maxBlobs() + " media blobs");
        }
        List<StatusStore.Copy> copies = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        for (StatusCopy copy : request.getCopiesList()) {
            UUID user = Ids.uuid(copy.getUserId(), "copies.user_id");
            if (copy.getDeviceId() == 0 || copy.getContent().isEmpty()) {
                throw Failure.BAD_REQUEST.exception("each copy needs a device id and content");
            }
            if (copy.getContent().size() > config.maxCopyBytes()) {
                throw Failure.TOO_LARGE.exception("a device copy may be at most " + config.maxCopyBytes()
                        + " bytes: put media in a blob");
            }
            if (!devices.add(user + "." + copy.getDeviceId())) {
                throw Failure.BAD_REQUEST.exception("two copies for device " + copy.getDeviceId() + " of " + user);
            }
            copies.add(new StatusStore.Copy(user, copy.getDeviceId(), copy.getContent().toByteArray(),
                    copy.getContentType()));
        }
        UUID postId = UUID.randomUUID();
        long now = clock.millis();
        StatusStore.Post post = new StatusStore.Post(postId, caller.userId(), caller.deviceId(), now,
                now + config.lifetime().toMillis(), false);
        List<Future<Object>> pins = new ArrayList<>();
        for (var blob : request.getBlobIdsList()) {
            Ids.uuid(blob, "blob_ids");
            pins.add(vertx.eventBus().request(Addresses.MEDIA_PIN, MediaPinRequest.newBuilder().setBlobId(blob)
                    .setOwner(Ids.bytes(caller.userId())).setHolder(HOLDER_PREFIX + postId).build(), timeout())
                    .map(m -> m.body()));
        }
        return Future.all(pins)
                .recover(e -> release(postId).transform(v -> Future.failedFuture(e)))
                .compose(v -> store.insert(post, copies))
                .map(v -> StatusPosted.newBuilder().setPostId(Ids.bytes(postId)).setPostedAtMs(now)
                        .setExpiresAtMs(post.expiresAt()).build());
    }

    Future<StatusList> list(Caller caller, ListStatusRequest request) {
        return store.visible(caller.userId(), caller.deviceId(), clock.millis()).map(posts -> {
            StatusList.Builder list = StatusList.newBuilder();
            posts.forEach(p -> list.addPosts(summary(p)));
            return list.build();
        });
    }

    Future<StatusView> view(Caller caller, ViewStatusRequest request) {
        UUID postId = Ids.uuid(request.getPostId(), "post_id");
        long now = clock.millis();
        return store.copy(postId, caller.userId(), caller.deviceId(), now).compose(copy -> {
            if (copy.isEmpty()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such status post for this device"));
            }
            return store.post(postId, caller.userId(), now).compose(post -> {
                StatusStore.Post found = post.orElseThrow(() -> Failure.NOT_FOUND.exception("no such status post"));
                Future<Void> viewed = found.poster().equals(caller.userId()) ? Future.succeededFuture()
                        : store.view(postId, caller.userId(), now);
                return viewed.map(v -> StatusView.newBuilder().setPost(summary(found))
                        .setContent(com.google.protobuf.ByteString.copyFrom(copy.get().content()))
                        .setContentType(copy.get().contentType()).build());
            });
        });
    }

    Future<StatusViewers> viewers(Caller caller, StatusViewersRequest request) {
        UUID postId = Ids.uuid(request.getPostId(), "post_id");
        return owned(caller, postId).compose(post -> store.viewers(postId)).map(viewers -> {
            StatusViewers.Builder answer = StatusViewers.newBuilder();
            viewers.forEach(v -> answer.addViewers(StatusViewer.newBuilder().setUserId(Ids.bytes(v.user()))
                    .setViewedAtMs(v.viewedAt())));
            return answer.build();
        });
    }

    Future<Ok> delete(Caller caller, DeleteStatusRequest request) {
        UUID postId = Ids.uuid(request.getPostId(), "post_id");
        return owned(caller, postId).compose(post -> remove(postId)).map(v -> Ok.getDefaultInstance());
    }

    /** Deletes expired posts, a batch per call: media released first, so a failed release is retried next time. */
    Future<Integer> sweep() {
        return store.expired(clock.millis()).compose(ids -> {
            List<Future<Void>> removals = new ArrayList<>();
            for (UUID id : ids) {
                removals.add(remove(id).onFailure(e -> LOG.warn("expired status post not deleted [post: {}]: {}", id,
                        e.toString())));
            }
            return Future.join(removals).transform(v -> Future.succeededFuture(ids.size()));
        });
    }

    private Future<Void> remove(UUID postId) {
        return release(postId).compose(v -> store.delete(postId)).mapEmpty();
    }

    private Future<Void> release(UUID postId) {
        return vertx.eventBus().<MediaReleased>request(Addresses.MEDIA_RELEASE,
                MediaReleaseRequest.newBuilder().setHolder(HOLDER_PREFIX + postId).build(), timeout()).mapEmpty();
    }

    /** The caller's own live post: 404 when there is none, 403 for another user's. */
    private Future<StatusStore.Post> owned(Caller caller, UUID postId) {
        return store.post(postId, caller.userId(), clock.millis()).map(post -> {
            StatusStore.Post found = post.orElseThrow(() -> Failure.NOT_FOUND.exception("no such status post"));
            if (!found.poster().equals(caller.userId())) {
                throw Failure.FORBIDDEN.exception("only the poster sees who viewed a post or deletes it");
            }
            return found;
        });
    }

    private DeliveryOptions timeout() {
        return new DeliveryOptions().setSendTimeout(config.mediaTimeoutMs());
    }

    private static StatusSummary summary(StatusStore.Post p) {
        return StatusSummary.newBuilder().setPostId(Ids.bytes(p.postId())).setPoster(Ids.bytes(p.poster()))
                .setPosterDevice(p.posterDevice()).setPostedAtMs(p.postedAt()).setExpiresAtMs(p.expiresAt())
                .setViewed(p.viewed()).build();
    }
}
