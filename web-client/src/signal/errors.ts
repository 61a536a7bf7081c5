// The protocol's failures, one class per kind the app must tell apart (reset the session,
// drop a duplicate, ask the user to verify a changed identity, ...), mirroring libsignal's errors.

export class SignalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A message that cannot be decrypted: bad MAC, bad padding, unknown chain, malformed fields. */
export class InvalidMessageError extends SignalError {}

/** A message whose keys were already used: a replay or a redelivery; drop it silently. */
export class DuplicateMessageError extends SignalError {}

/** A message whose version nibble is older than PQXDH (3) or newer than this code knows. */
export class InvalidVersionError extends SignalError {}

/** Bytes that do not form a valid key (wrong type byte, wrong length, non-canonical point). */
export class InvalidKeyError extends SignalError {}

/** A prekey id that the local store does not hold (already used, or never issued). */
export class InvalidKeyIdError extends SignalError {}

/** A signature that does not verify (prekey bundle, sender-key message). */
export class SignatureError extends SignalError {}

/** No usable session (never established, or stale and unacknowledged for too long). */
export class NoSessionError extends SignalError {}

/** The peer's identity key differs from the one the store trusts for that address. */
export class UntrustedIdentityError extends SignalError {
  constructor(
    readonly address: string,
    readonly identityKey: Uint8Array,
  ) {
    super(`untrusted identity for ${address}`);
  }
}

/** A last-resort Kyber prekey presented again with a base key it has already seen. */
export class ReusedBaseKeyError extends SignalError {}
