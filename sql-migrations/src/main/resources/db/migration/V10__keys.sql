-- Owner: keys. One row per device that published Signal keys: its identity key (fixed from the
-- first upload until the device re-registers its keys), its registration id, the current signed
-- EC prekey and the last-resort Kyber prekey, which is served when the one-time keys run out and
-- is never removed by a fetch. Primary key: a bundle fetch reads a user's devices by user id.
CREATE TABLE key_devices (
    user_id                  uuid        NOT NULL,
    device_id                int         NOT NULL,
    registration_id          int         NOT NULL,
    identity_key             bytea       NOT NULL,
    signed_pre_key_id        int         NOT NULL,
    signed_pre_key           bytea       NOT NULL,
    signed_pre_key_signature bytea       NOT NULL,
    last_resort_id           int         NOT NULL,
    last_resort_key          bytea       NOT NULL,
    last_resort_signature    bytea       NOT NULL,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id)
);

-- Owner: keys. One-time EC prekeys waiting to be handed out; a fetch deletes the row it returns
-- (DELETE ... RETURNING over a FOR UPDATE SKIP LOCKED pick), so each key goes to one peer only.
-- Primary key: a fetch takes a device's lowest key id; counts and uploads go by device too.
CREATE TABLE key_one_time_ec (
    user_id    uuid  NOT NULL,
    device_id  int   NOT NULL,
    key_id     int   NOT NULL,
    public_key bytea NOT NULL,
    PRIMARY KEY (user_id, device_id, key_id)
);

-- Owner: keys. One-time Kyber1024 prekeys (signed by the identity key), handed out like the EC
-- ones. Primary key: as for key_one_time_ec.
CREATE TABLE key_one_time_kyber (
    user_id    uuid  NOT NULL,
    device_id  int   NOT NULL,
    key_id     int   NOT NULL,
    public_key bytea NOT NULL,
    signature  bytea NOT NULL,
    PRIMARY KEY (user_id, device_id, key_id)
);
