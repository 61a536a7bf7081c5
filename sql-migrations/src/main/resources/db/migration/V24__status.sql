-- Owner: status. A status post: who posted it from which device and until when it is visible.
-- The expiry index serves the sweep that deletes expired posts (and, through media, their blobs);
-- the poster index serves the viewers list and deletes by the poster.
CREATE TABLE status_posts (
    post_id       uuid    PRIMARY KEY,
    poster        uuid    NOT NULL,
    poster_device integer NOT NULL,
    posted_at     bigint  NOT NULL,
    expires_at    bigint  NOT NULL
);
CREATE INDEX status_posts_expiry ON status_posts (expires_at);
CREATE INDEX status_posts_poster ON status_posts (poster);

-- Owner: status. One audience device's copy of a post, encrypted for that device by the poster
-- (opaque here). A device sees a post only through its own copy. The device index lists the posts a
-- device can see.
CREATE TABLE status_copies (
    post_id      uuid    NOT NULL REFERENCES status_posts ON DELETE CASCADE,
    user_id      uuid    NOT NULL,
    device_id    integer NOT NULL,
    content      bytea   NOT NULL,
    content_type integer NOT NULL,
    PRIMARY KEY (post_id, user_id, device_id)
);
CREATE INDEX status_copies_device ON status_copies (user_id, device_id);

-- Owner: status. Who viewed a post and when (first view), for the poster's viewers list. The
-- primary key serves that list and keeps one row per viewer.
CREATE TABLE status_views (
    post_id   uuid   NOT NULL REFERENCES status_posts ON DELETE CASCADE,
    viewer    uuid   NOT NULL,
    viewed_at bigint NOT NULL,
    PRIMARY KEY (post_id, viewer)
);
