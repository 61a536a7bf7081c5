-- Owner: events. The installation's VAPID key pair (RFC 8292), made by the first events verticle
-- that starts and shared by every node, so browsers' subscriptions stay valid across restarts.
-- One row only (id = 1).
CREATE TABLE push_vapid_keys (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    private_key bytea       NOT NULL,  -- PKCS#8
    public_key  bytea       NOT NULL,  -- uncompressed P-256 point, 65 bytes
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Owner: events. How to wake each device while it is offline: one subscription per device (a new
-- one replaces the old). kind: 0 Web Push (endpoint, p256dh, auth), 1 FCM, 2 APNs (token). The
-- primary key is the only lookup (by device, when an envelope waits for it); rows go when the
-- device is removed, unsubscribes, or the push service says the subscription is gone.
CREATE TABLE push_subscriptions (
    user_id    uuid        NOT NULL,
    device_id  int         NOT NULL,
    kind       smallint    NOT NULL,
    endpoint   text        NOT NULL DEFAULT '',
    p256dh     bytea       NOT NULL DEFAULT '',
    auth       bytea       NOT NULL DEFAULT '',
    token      text        NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id)
);
