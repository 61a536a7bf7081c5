-- Owner: messaging. Bodies shared by many inbox rows (a group message is one ciphertext for every
-- member device): stored once, referenced by inbox.body_id, deleted by the sweep once no inbox row
-- points at them. created_at lets the sweep skip bodies whose rows are still being written.
CREATE TABLE message_bodies (
    body_id    uuid   PRIMARY KEY,
    content    bytea  NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX message_bodies_created_at ON message_bodies (created_at);

ALTER TABLE inbox ADD COLUMN body_id uuid;
-- The group a group message or notice belongs to (null for 1:1).
ALTER TABLE inbox ADD COLUMN group_id uuid;
-- The sweep's "is any row still pointing at this body" check.
CREATE INDEX inbox_body_id ON inbox (body_id) WHERE body_id IS NOT NULL;
