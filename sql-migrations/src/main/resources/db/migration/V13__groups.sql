-- Owner: groups. One row per group: its info and settings. `revision` grows with every change
-- and is what notices and clients order the group's state by. Rows are locked (FOR UPDATE) by
-- every membership change, so the member cap holds under concurrent adds and joins.
CREATE TABLE groups (
    group_id          uuid     PRIMARY KEY,
    subject           text     NOT NULL,
    description       text     NOT NULL DEFAULT '',
    avatar_ref        text     NOT NULL DEFAULT '',
    announcement_only boolean  NOT NULL DEFAULT false,
    info_editors      smallint NOT NULL DEFAULT 0,
    created_by        uuid     NOT NULL,
    created_at        bigint   NOT NULL,
    revision          bigint   NOT NULL DEFAULT 1
);

-- Owner: groups. Current members (at most 1024 per group). `joined_seq` keeps the join order
-- (the creator first) for listings and for choosing a new admin when the last one leaves.
-- Primary key: a group's members, read on every group send. The user_id index lists a user's
-- groups (list_groups).
CREATE TABLE group_members (
    group_id   uuid    NOT NULL REFERENCES groups ON DELETE CASCADE,
    user_id    uuid    NOT NULL,
    admin      boolean NOT NULL DEFAULT false,
    joined_at  bigint  NOT NULL,
    joined_seq bigserial,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_id ON group_members (user_id);

-- Owner: groups. Invite links. A group has at most one live link; a replaced or revoked one
-- keeps its row (revoked_at set) so that joining by it answers 410, not 404. The group_id index
-- finds the live link to revoke when a new one is made.
CREATE TABLE group_invites (
    code              text    PRIMARY KEY,
    group_id          uuid    NOT NULL REFERENCES groups ON DELETE CASCADE,
    created_by        uuid    NOT NULL,
    approval_required boolean NOT NULL,
    expires_at        bigint  NOT NULL,
    revoked_at        bigint
);
CREATE INDEX group_invites_group_id ON group_invites (group_id) WHERE revoked_at IS NULL;

-- Owner: groups. Join-by-link requests waiting for an admin's approval; deleted when resolved.
-- Primary key: one pending request per user and group, listed per group.
CREATE TABLE group_join_requests (
    group_id     uuid   NOT NULL REFERENCES groups ON DELETE CASCADE,
    user_id      uuid   NOT NULL,
    requested_at bigint NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

-- Owner: groups. The outbox of group notices: written in the same transaction as the change it
-- describes, delivered to the named users' devices through messaging, then deleted. A row left
-- behind (messaging unreachable, node stopped) is redelivered by a timer; the notice id is the
-- idempotency key of that delivery, so a redelivery stores nothing twice.
-- The created_at index serves that timer's scan of old rows.
CREATE TABLE group_outbox (
    notice_id    uuid   PRIMARY KEY,
    group_id     uuid   NOT NULL,
    actor        uuid   NOT NULL,
    actor_device int    NOT NULL,
    recipients   uuid[] NOT NULL,
    content      bytea  NOT NULL,
    created_at   bigint NOT NULL
);
CREATE INDEX group_outbox_created_at ON group_outbox (created_at);
