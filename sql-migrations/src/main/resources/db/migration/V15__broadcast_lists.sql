-- Owner: groups. A user's named broadcast lists. The owner index lists a user's lists.
CREATE TABLE broadcast_lists (
    list_id    uuid   PRIMARY KEY,
    owner      uuid   NOT NULL,
    name       text   NOT NULL,
    created_at bigint NOT NULL
);
CREATE INDEX broadcast_lists_owner ON broadcast_lists (owner);

-- Owner: groups. The recipients of a list (at most 256), in the order they were added (`seq`);
-- each broadcast goes to each of them as a 1:1 message. Primary key: one list's recipients, read
-- on every broadcast.
CREATE TABLE broadcast_recipients (
    list_id  uuid   NOT NULL REFERENCES broadcast_lists ON DELETE CASCADE,
    user_id  uuid   NOT NULL,
    added_at bigint NOT NULL,
    seq      bigserial,
    PRIMARY KEY (list_id, user_id)
);
