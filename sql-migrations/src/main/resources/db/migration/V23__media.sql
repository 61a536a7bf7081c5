-- Owner: media. One row per attachment blob: who reserved it, its kind and size cap, the SHA-256 of
-- the ciphertext the upload must match, and whether the upload completed (only complete blobs can be
-- downloaded or pinned). The bytes live in the blob store (a folder or S3), never here.
-- The sweep index finds incomplete uploads and unreferenced blobs past their time, oldest first.
CREATE TABLE media_blobs (
    blob_id      uuid     PRIMARY KEY,
    owner        uuid     NOT NULL,
    kind         smallint NOT NULL,
    size         bigint   NOT NULL,
    digest       bytea    NOT NULL,
    complete     boolean  NOT NULL DEFAULT false,
    created_at   bigint   NOT NULL,
    completed_at bigint
);
CREATE INDEX media_blobs_sweep ON media_blobs (complete, created_at);

-- Owner: media. What keeps a blob alive past the unreferenced retention: a holder such as
-- "status:<post id>". Deleting a blob deletes its pins. The holder index serves a release, which
-- drops every pin of one holder.
CREATE TABLE media_pins (
    blob_id uuid NOT NULL REFERENCES media_blobs ON DELETE CASCADE,
    holder  text NOT NULL,
    PRIMARY KEY (blob_id, holder)
);
CREATE INDEX media_pins_holder ON media_pins (holder);

-- Owner: media. The HMAC key of signed media URLs, made once per installation so that every node
-- signs and checks URLs alike. One row (id 1).
CREATE TABLE media_url_keys (
    id     smallint PRIMARY KEY,
    secret bytea    NOT NULL
);
