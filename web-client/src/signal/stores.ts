// The storage the protocol needs, as async interfaces (the app backs them with IndexedDB), and an
// in-memory implementation for tests and tools. Mirrors libsignal's store traits.
import { bytesEqual } from './bytes.js';
import type { KeyPair } from './curve.js';
import { InvalidKeyIdError, ReusedBaseKeyError } from './errors.js';
import type { KyberPreKeyRecord, PreKeyRecord, SignedPreKeyRecord } from './keys.js';
import type { SenderKeyRecord } from './senderKeys.js';
import type { SessionRecord } from './sessionState.js';

/** A peer's device: the account name (a UUID in Parley) and its device id. */
export interface ProtocolAddress {
  readonly name: string;
  readonly deviceId: number;
}

export function addressToString(address: ProtocolAddress): string {
  return `${address.name}.${address.deviceId}`;
}

export type Direction = 'sending' | 'receiving';

export interface IdentityKeyStore {
  getIdentityKeyPair(): Promise<KeyPair>;
  getLocalRegistrationId(): Promise<number>;
  /** Returns true when a different key was stored before (the peer's identity changed). */
  saveIdentity(address: ProtocolAddress, identityKey: Uint8Array): Promise<boolean>;
  isTrustedIdentity(address: ProtocolAddress, identityKey: Uint8Array, direction: Direction): Promise<boolean>;
  getIdentity(address: ProtocolAddress): Promise<Uint8Array | undefined>;
}

export interface SessionStore {
  loadSession(address: ProtocolAddress): Promise<SessionRecord | undefined>;
  storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void>;
}

export interface PreKeyStore {
  /** Throws InvalidKeyIdError when the id is unknown. */
  loadPreKey(id: number): Promise<PreKeyRecord>;
  removePreKey(id: number): Promise<void>;
}

export interface SignedPreKeyStore {
  /** Throws InvalidKeyIdError when the id is unknown. */
  loadSignedPreKey(id: number): Promise<SignedPreKeyRecord>;
}

export interface KyberPreKeyStore {
  /** Throws InvalidKeyIdError when the id is unknown. */
  loadKyberPreKey(id: number): Promise<KyberPreKeyRecord>;
  /**
   * Called after a successful PQXDH with this key: deletes a one-time key; for a last-resort key,
   * refuses (ReusedBaseKeyError) a (signed prekey, base key) pair it has already seen.
   */
  markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<void>;
}

export interface SenderKeyStore {
  loadSenderKey(sender: ProtocolAddress, distributionId: string): Promise<SenderKeyRecord | undefined>;
  storeSenderKey(sender: ProtocolAddress, distributionId: string, record: SenderKeyRecord): Promise<void>;
}

export interface SignalProtocolStore
  extends IdentityKeyStore,
    SessionStore,
    PreKeyStore,
    SignedPreKeyStore,
    KyberPreKeyStore,
    SenderKeyStore {}

/** Trust on first use: an address is trusted until its identity key changes. */
export class InMemorySignalProtocolStore implements SignalProtocolStore {
  readonly identities = new Map<string, Uint8Array>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly preKeys = new Map<number, PreKeyRecord>();
  readonly signedPreKeys = new Map<number, SignedPreKeyRecord>();
  readonly kyberPreKeys = new Map<number, KyberPreKeyRecord>();
  readonly usedLastResortBaseKeys = new Map<number, Uint8Array[]>();
  readonly senderKeys = new Map<string, SenderKeyRecord>();

  constructor(
    readonly identityKeyPair: KeyPair,
    readonly registrationId: number,
  ) {}

  async getIdentityKeyPair(): Promise<KeyPair> {
    return this.identityKeyPair;
  }

  async getLocalRegistrationId(): Promise<number> {
    return this.registrationId;
  }

  async saveIdentity(address: ProtocolAddress, identityKey: Uint8Array): Promise<boolean> {
    const key = addressToString(address);
    const existing = this.identities.get(key);
    this.identities.set(key, identityKey);
    return existing !== undefined && !bytesEqual(existing, identityKey);
  }

  async isTrustedIdentity(address: ProtocolAddress, identityKey: Uint8Array): Promise<boolean> {
    const existing = this.identities.get(addressToString(address));
    return existing === undefined || bytesEqual(existing, identityKey);
  }

  async getIdentity(address: ProtocolAddress): Promise<Uint8Array | undefined> {
    return this.identities.get(addressToString(address));
  }

  async loadSession(address: ProtocolAddress): Promise<SessionRecord | undefined> {
    return this.sessions.get(addressToString(address));
  }

  async storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.sessions.set(addressToString(address), record);
  }

  async loadPreKey(id: number): Promise<PreKeyRecord> {
    return required(this.preKeys.get(id), `no prekey ${id}`);
  }

  async removePreKey(id: number): Promise<void> {
    this.preKeys.delete(id);
  }

  async loadSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    return required(this.signedPreKeys.get(id), `no signed prekey ${id}`);
  }

  async loadKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    return required(this.kyberPreKeys.get(id), `no Kyber prekey ${id}`);
  }

  async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<void> {
    const record = this.kyberPreKeys.get(id);
    if (record === undefined) return;
    if (!record.lastResort) {
      this.kyberPreKeys.delete(id);
      return;
    }
    const seen = this.usedLastResortBaseKeys.get(id) ?? [];
    const marker = Uint8Array.of(...new Uint8Array(new Uint32Array([signedPreKeyId]).buffer), ...baseKey);
    if (seen.some((previous) => bytesEqual(previous, marker))) {
      throw new ReusedBaseKeyError(`base key reused with last-resort Kyber prekey ${id}`);
    }
    seen.push(marker);
    this.usedLastResortBaseKeys.set(id, seen);
  }

  async loadSenderKey(sender: ProtocolAddress, distributionId: string): Promise<SenderKeyRecord | undefined> {
    return this.senderKeys.get(`${addressToString(sender)}::${distributionId.toLowerCase()}`);
  }

  async storeSenderKey(sender: ProtocolAddress, distributionId: string, record: SenderKeyRecord): Promise<void> {
    this.senderKeys.set(`${addressToString(sender)}::${distributionId.toLowerCase()}`, record);
  }
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new InvalidKeyIdError(message);
  return value;
}
