-- Owner: groups. One row per group message sent (the body itself is messaging's, stored once):
-- who sent it, when, to which group. It lets the sender, and only the sender, ask for the
-- message's info, and lets receipts be checked against the group. The sent_at index serves the
-- retention sweep.
CREATE TABLE group_messages (
    message_id    uuid   PRIMARY KEY,
    group_id      uuid   NOT NULL,
    sender_user   uuid   NOT NULL,
    sender_device int    NOT NULL,
    sent_at       bigint NOT NULL
);
CREATE INDEX group_messages_sent_at ON group_messages (sent_at);

-- Owner: groups. Per member, when a group message reached one of its devices and when it was
-- read: the sender's "message info". Primary key: one message's receipts, read together.
CREATE TABLE group_receipts (
    message_id   uuid   NOT NULL REFERENCES group_messages ON DELETE CASCADE,
    user_id      uuid   NOT NULL,
    delivered_at bigint,
    read_at      bigint,
    PRIMARY KEY (message_id, user_id)
);
