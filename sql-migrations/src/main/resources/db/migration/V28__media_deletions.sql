-- Owner: media. Blobs whose rows are gone but whose bytes may still be in the blob store: written in
-- the transaction that deletes the rows, removed once the bytes are deleted. A node that stops
-- between the two (or a blob store that fails the delete) leaves the id here, and the next sweep
-- deletes the bytes; without it those bytes had nothing left to find them by.
CREATE TABLE media_deletions (
    blob_id    uuid   PRIMARY KEY,
    deleted_at bigint NOT NULL
);
CREATE INDEX media_deletions_age ON media_deletions (deleted_at);
