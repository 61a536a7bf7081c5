-- Owner: calls. One row per user per call, written once when the call ends (or, in a group call,
-- when that user leaves): who with, when, how long, and how it ended. The call's live state is in
-- Redis, not here. Rows older than calls.historyDays are deleted by the calls sweep.
-- Primary key: a call ends once per user, so a second writer (another calls instance handling the
-- same end) inserts nothing.
CREATE TABLE call_history (
    user_id      uuid     NOT NULL,
    call_id      uuid     NOT NULL,
    peer_user    uuid     NOT NULL,
    outgoing     boolean  NOT NULL,
    video        boolean  NOT NULL,
    group_call   boolean  NOT NULL,
    started_at   bigint   NOT NULL,
    answered_at  bigint,
    ended_at     bigint   NOT NULL,
    duration_ms  bigint   NOT NULL,
    outcome      smallint NOT NULL,
    PRIMARY KEY (user_id, call_id)
);
-- call_history pages a user's calls newest first (WHERE user_id = $1 AND started_at < $2 ORDER BY
-- started_at DESC).
CREATE INDEX call_history_user_started ON call_history (user_id, started_at DESC);
-- The retention sweep deletes old rows without reading a user's.
CREATE INDEX call_history_ended_at ON call_history (ended_at);
