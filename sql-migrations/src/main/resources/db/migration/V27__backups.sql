-- Owner: accounts. Each account's encrypted backup: one opaque blob (encrypted on the device with
-- a key derived from the user's passphrase; the server cannot read it), replaced by each new
-- backup and deleted with the account. The primary key is the only lookup.
CREATE TABLE backups (
    user_id    uuid        PRIMARY KEY REFERENCES accounts ON DELETE CASCADE,
    device_id  int         NOT NULL,
    blob       bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
