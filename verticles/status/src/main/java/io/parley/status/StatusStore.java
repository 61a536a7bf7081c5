package io.parley.status;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of the status role: status_posts, status_copies, status_views (V24). */
final class StatusStore {
    private static final int SWEEP_BATCH = 200;
    private static final int LIST_LIMIT = 500;

    /** A post as a device sees it. */
    record Post(UUID postId, UUID poster, int posterDevice, long postedAt, long expiresAt, boolean viewed) {
    }

    /** One device's copy. */
    record Copy(UUID userId, int deviceId, byte[] content, int contentType) {
    }

    /** A viewer of a post and the time of the first view. */
    record Viewer(UUID user, long viewedAt) {
    }

    private final Pool pool;

    StatusStore(Pool pool) {
        this.pool = pool;
    }

    Future<Void> insert(Post post, List<Copy> copies) {
        List<Tuple> rows = new ArrayList<>();
        for (Copy c : copies) {
            rows.add(Tuple.of(post.postId(), c.userId(), c.deviceId(), Buffer.buffer(c.content()), c.contentType()));
        }
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO status_posts (post_id, poster, poster_device, "
                        + "posted_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(post.postId(), post.poster(), post.posterDevice(), post.postedAt(), post.expiresAt()))
                .compose(r -> tx.preparedQuery("INSERT INTO status_copies (post_id, user_id, device_id, content, "
                        + "content_type) VALUES ($1, $2, $3, $4, $5)").executeBatch(rows))
                .mapEmpty());
    }

    /** Live posts this device has a copy of, and this user's own, newest first. */
    Future<List<Post>> visible(UUID user, int device, long now) {
        return pool.preparedQuery("SELECT p.post_id, p.poster, p.poster_device, p.posted_at, p.expires_at, "
                        + "EXISTS (SELECT 1 FROM status_views v WHERE v.post_id = p.post_id AND v.viewer = $1) AS viewed "
                        + "FROM status_posts p WHERE p.expires_at > $3 AND (p.poster = $1 OR EXISTS (SELECT 1 "
                        + "FROM status_copies c WHERE c.post_id = p.post_id AND c.user_id = $1 AND c.device_id = $2)) "
                        + "ORDER BY p.posted_at DESC LIMIT " + LIST_LIMIT)
                .execute(Tuple.of(user, device, now))
                .map(rows -> {
                    List<Post> posts = new ArrayList<>();
                    rows.forEach(r -> posts.add(post(r)));
                    return posts;
                });
    }

    /** This device's copy of a live post, if it has one. */
    Future<Optional<Copy>> copy(UUID postId, UUID user, int device, long now) {
        return pool.preparedQuery("SELECT c.content, c.content_type FROM status_copies c JOIN status_posts p "
                        + "ON p.post_id = c.post_id WHERE c.post_id = $1 AND c.user_id = $2 AND c.device_id = $3 "
                        + "AND p.expires_at > $4")
                .execute(Tuple.of(postId, user, device, now))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next())
                        .map(r -> new Copy(user, device, r.getBuffer("content").getBytes(), r.getInteger("content_type"))));
    }

    Future<Optional<Post>> post(UUID postId, UUID viewer, long now) {
        return pool.preparedQuery("SELECT p.post_id, p.poster, p.poster_device, p.posted_at, p.expires_at, "
                        + "EXISTS (SELECT 1 FROM status_views v WHERE v.post_id = p.post_id AND v.viewer = $2) AS viewed "
                        + "FROM status_posts p WHERE p.post_id = $1 AND p.expires_at > $3")
                .execute(Tuple.of(postId, viewer, now))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(post(rows.iterator().next())));
    }

    /** Records a viewer's first view (later views keep the first time). */
    Future<Void> view(UUID postId, UUID viewer, long now) {
        return pool.preparedQuery("INSERT INTO status_views (post_id, viewer, viewed_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING").execute(Tuple.of(postId, viewer, now)).mapEmpty();
    }

    /** Who viewed a post: user and first view time, in view order. */
    Future<List<Viewer>> viewers(UUID postId) {
        return pool.preparedQuery("SELECT viewer, viewed_at FROM status_views WHERE post_id = $1 ORDER BY viewed_at")
                .execute(Tuple.of(postId))
                .map(rows -> {
                    List<Viewer> viewers = new ArrayList<>();
                    rows.forEach(r -> viewers.add(new Viewer(r.getUUID("viewer"), r.getLong("viewed_at"))));
                    return viewers;
                });
    }

    /** Posts whose time is up, oldest first, a batch at a time. */
    Future<List<UUID>> expired(long now) {
        return pool.preparedQuery("SELECT post_id FROM status_posts WHERE expires_at <= $1 ORDER BY expires_at LIMIT "
                        + SWEEP_BATCH).execute(Tuple.of(now))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("post_id")));
                    return ids;
                });
    }

    /** Deletes a post with its copies and views (cascade). */
    Future<Boolean> delete(UUID postId) {
        return pool.preparedQuery("DELETE FROM status_posts WHERE post_id = $1").execute(Tuple.of(postId))
                .map(r -> r.rowCount() == 1);
    }

    private static Post post(Row r) {
        return new Post(r.getUUID("post_id"), r.getUUID("poster"), r.getInteger("poster_device"), r.getLong("posted_at"),
                r.getLong("expires_at"), r.getBoolean("viewed"));
    }
}
