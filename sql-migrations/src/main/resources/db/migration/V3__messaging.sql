-- Owner: messaging. Sequence numbers of inbox rows: one sequence, no per-backend cache, so a
-- device's rows are numbered in the order their transactions took numbers (its delivery order).
CREATE SEQUENCE inbox_seq;

-- Owner: messaging. Every envelope waiting for a device: the device's inbox. A row is deleted when
-- that device acks it, or when its disappearing timer runs out. Contents are opaque ciphertext;
-- in a 1:1 send each device has its own, so the body lives in the row and goes with it.
-- Primary key: a device's rows in order — replay pages and acks use nothing else.
CREATE TABLE inbox (
    user_id           uuid     NOT NULL,
    device_id         int      NOT NULL,
    seq               bigint   NOT NULL DEFAULT nextval('inbox_seq'),
    message_id        uuid     NOT NULL,
    sender_user       uuid     NOT NULL,
    sender_device     int      NOT NULL,
    conversation_user uuid     NOT NULL,
    kind              smallint NOT NULL,
    content_type      int      NOT NULL DEFAULT 0,
    content           bytea,
    refers_to         uuid,
    server_ts         bigint   NOT NULL,
    expires_at        bigint,
    extra             bytea,
    PRIMARY KEY (user_id, device_id, seq)
);
-- The expiry sweep finds expired rows without reading the others.
CREATE INDEX inbox_expires_at ON inbox (expires_at) WHERE expires_at IS NOT NULL;
-- Delete for everyone removes the original's rows not yet delivered.
CREATE INDEX inbox_message_id ON inbox (message_id);

-- Owner: messaging. One row per accepted send (messages, edits, deletes), kept 48 hours: the
-- key makes a retried send return its first result; the row lets edits (15 min) and deletes for
-- everyone (48 h) check who sent what when. The server_ts index serves the 48-hour sweep.
CREATE TABLE sent_messages (
    sender_user       uuid   NOT NULL,
    sender_device     int    NOT NULL,
    client_message_id uuid   NOT NULL,
    message_id        uuid   NOT NULL UNIQUE,
    recipient         uuid   NOT NULL,
    server_ts         bigint NOT NULL,
    PRIMARY KEY (sender_user, sender_device, client_message_id)
);
CREATE INDEX sent_messages_server_ts ON sent_messages (server_ts);

-- Owner: messaging. The disappearing timer of a 1:1 conversation; the pair is stored with
-- user_a <= user_b so that both directions find one row. No row: messages do not disappear.
CREATE TABLE conversation_timers (
    user_a     uuid NOT NULL,
    user_b     uuid NOT NULL,
    seconds    int  NOT NULL,
    changed_at bigint NOT NULL,
    PRIMARY KEY (user_a, user_b),
    CHECK (user_a <= user_b)
);
