// The Signal protocol store of this device, kept in IndexedDB: the library's in-memory store,
// loaded once at start-up and written through on every change, so keys, sessions and sender
// keys survive a page reload.
import {
  fromBase64,
  InMemorySignalProtocolStore,
  keyPairFromJson,
  keyPairToJson,
  kyberPreKeyRecordFromJson,
  kyberPreKeyRecordToJson,
  preKeyRecordFromJson,
  preKeyRecordToJson,
  senderKeyRecordFromJson,
  senderKeyRecordToJson,
  sessionRecordFromJson,
  sessionRecordToJson,
  signedPreKeyRecordFromJson,
  signedPreKeyRecordToJson,
  toBase64,
  addressToString,
  generateIdentityKeyPair,
  generateRegistrationId,
  type JsonValue,
  type KeyPair,
  type KyberPreKeyRecord,
  type PreKeyRecord,
  type ProtocolAddress,
  type SenderKeyRecord,
  type SessionRecord,
  type SignedPreKeyRecord,
} from '../../signal/index.js';
import type { Database } from '../data/db.js';

export class PersistentSignalStore extends InMemorySignalProtocolStore {
  private constructor(
    private readonly db: Database,
    identity: KeyPair,
    registrationId: number,
  ) {
    super(identity, registrationId);
  }

  /** The stored state, or a new identity and registration id when there is none (first start). */
  static async open(db: Database): Promise<PersistentSignalStore> {
    const own = await db.get<{ identity: JsonValue; registrationId: number }>('signal', 'own');
    const identity = own === undefined ? generateIdentityKeyPair() : keyPairFromJson(own.identity);
    const registrationId = own?.registrationId ?? generateRegistrationId();
    if (own === undefined) await db.put('signal', { identity: keyPairToJson(identity), registrationId }, 'own');
    const store = new PersistentSignalStore(db, identity, registrationId);
    for (const [key, value] of await db.entries<any>('signal')) {
      const [kind, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      if (kind === 'identity') store.identities.set(rest, fromBase64(value));
      else if (kind === 'session') store.sessions.set(rest, sessionRecordFromJson(value));
      else if (kind === 'prekey') store.preKeys.set(Number(rest), preKeyRecordFromJson(value));
      else if (kind === 'signed') store.signedPreKeys.set(Number(rest), signedPreKeyRecordFromJson(value));
      else if (kind === 'kyber') store.kyberPreKeys.set(Number(rest), kyberPreKeyRecordFromJson(value));
      else if (kind === 'lastresort') store.usedLastResortBaseKeys.set(Number(rest), (value as string[]).map(fromBase64));
      else if (kind === 'senderkey') store.senderKeys.set(rest, senderKeyRecordFromJson(value));
    }
    return store;
  }

  /** Called when a peer device's identity key differs from the stored one (safety number changed). */
  onIdentityChange: (address: ProtocolAddress) => void = () => {};

  override async saveIdentity(address: ProtocolAddress, identityKey: Uint8Array): Promise<boolean> {
    const changed = await super.saveIdentity(address, identityKey);
    await this.db.put('signal', toBase64(identityKey), `identity:${addressToString(address)}`);
    if (changed) this.onIdentityChange(address);
    return changed;
  }

  /**
   * Trust on first use, then accept a new identity and tell the app (as the Java SDK does), so a
   * peer who reinstalled can still be reached; the app shows that the safety number changed.
   */
  override async isTrustedIdentity(): Promise<boolean> {
    return true;
  }

  override async storeSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    await super.storeSession(address, record);
    await this.db.put('signal', sessionRecordToJson(record), `session:${addressToString(address)}`);
  }

  hasSession(address: ProtocolAddress): boolean {
    return this.sessions.has(addressToString(address));
  }

  override async removePreKey(id: number): Promise<void> {
    await super.removePreKey(id);
    await this.db.delete('signal', `prekey:${id}`);
  }

  override async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<void> {
    await super.markKyberPreKeyUsed(id, signedPreKeyId, baseKey);
    if (this.kyberPreKeys.has(id)) {
      await this.db.put('signal', (this.usedLastResortBaseKeys.get(id) ?? []).map(toBase64), `lastresort:${id}`);
    } else {
      await this.db.delete('signal', `kyber:${id}`);
    }
  }

  override async storeSenderKey(sender: ProtocolAddress, distributionId: string, record: SenderKeyRecord): Promise<void> {
    await super.storeSenderKey(sender, distributionId, record);
    const key = `${addressToString(sender)}::${distributionId.toLowerCase()}`;
    await this.db.put('signal', senderKeyRecordToJson(record), `senderkey:${key}`);
  }

  async addPreKey(record: PreKeyRecord): Promise<void> {
    this.preKeys.set(record.id, record);
    await this.db.put('signal', preKeyRecordToJson(record), `prekey:${record.id}`);
  }

  async addSignedPreKey(record: SignedPreKeyRecord): Promise<void> {
    this.signedPreKeys.set(record.id, record);
    await this.db.put('signal', signedPreKeyRecordToJson(record), `signed:${record.id}`);
  }

  async addKyberPreKey(record: KyberPreKeyRecord): Promise<void> {
    this.kyberPreKeys.set(record.id, record);
    await this.db.put('signal', kyberPreKeyRecordToJson(record), `kyber:${record.id}`);
  }
}
