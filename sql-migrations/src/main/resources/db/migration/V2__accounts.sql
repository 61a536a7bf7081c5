-- Owner: accounts. One row per user: identity (username and/or phone), profile and privacy.
-- username and phone are unique when set (registration looks them up); phone_hash is unique and
-- indexed for contact discovery (SHA-256 of the E.164 number, so discovery never sees numbers).
CREATE TABLE accounts (
    user_id            uuid PRIMARY KEY,
    username           text UNIQUE,
    phone              text UNIQUE,
    phone_hash         bytea UNIQUE,
    display_name       text        NOT NULL DEFAULT '',
    about              text        NOT NULL DEFAULT '',
    avatar_ref         text        NOT NULL DEFAULT '',
    last_seen_audience smallint    NOT NULL DEFAULT 0,
    read_receipts_off  boolean     NOT NULL DEFAULT false,
    next_device_id     int         NOT NULL DEFAULT 2,
    disabled           boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (username IS NOT NULL OR phone IS NOT NULL)
);

-- Owner: accounts. The devices of a user: 1 is the primary, linked devices get the next id and
-- ids are never reused. Only a salted SHA-256 of each device's random secret is kept.
CREATE TABLE devices (
    user_id     uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    device_id   int         NOT NULL,
    name        text        NOT NULL,
    secret_salt bytea       NOT NULL,
    secret_hash bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id)
);

-- Owner: accounts. One pending verification code per identifier (username or phone), hashed;
-- attempts bound guessing.
CREATE TABLE verification_codes (
    identifier text        PRIMARY KEY,
    code_hash  bytea       NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts   int         NOT NULL DEFAULT 0
);

-- Owner: accounts. Provisioning codes for linking devices, hashed. A used code is kept until it
-- expires so that a reuse is told apart (410) from a code that never existed (404).
CREATE TABLE link_codes (
    code_hash  bytea PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- Owner: accounts. A user's contacts. The primary key serves "list my contacts" and
-- "is X in Y's contacts" (relation checks on every send and presence subscription).
CREATE TABLE contacts (
    owner_id   uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    contact_id uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, contact_id)
);

-- Owner: accounts. Who blocked whom. The primary key answers "did Y block X" on every send.
CREATE TABLE blocks (
    blocker_id uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    blocked_id uuid        NOT NULL REFERENCES accounts ON DELETE CASCADE,
    blocked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id)
);
