// The safety number of this user with a contact, as the Java SDK's SafetyNumbers picks the keys:
// each account is its primary device's identity key; a key this device met in a session is
// preferred over what the server answers. "Verified" is remembered with the number it was for,
// so a changed identity (another number) is no longer verified.
import { fromBase64 } from '../signal/index.js';
import { safetyNumber } from './crypto/safetyNumber.js';
import type { PersistentSignalStore } from './crypto/persistentStore.js';
import type { Database } from './data/db.js';
import type { Connection } from './net/connection.js';
import { ParleyError } from './net/failure.js';
import { uuidBytes, uuidToBase64 } from './net/ids.js';

const PRIMARY = 1;
const VERIFIED_KEY = 'verified';

export class SafetyNumbers {
  constructor(
    private readonly connection: Connection,
    private readonly store: PersistentSignalStore,
    private readonly db: Database,
    private readonly self: string,
    private readonly selfDevice: number,
  ) {}

  async with(peer: string): Promise<string> {
    const mine = this.selfDevice === PRIMARY && peer !== this.self
      ? (await this.store.getIdentityKeyPair()).publicKey : await this.primaryKey(this.self);
    return safetyNumber(uuidBytes(this.self), mine, uuidBytes(peer), await this.primaryKey(peer));
  }

  private async primaryKey(user: string): Promise<Uint8Array> {
    const known = await this.store.getIdentity({ name: user, deviceId: PRIMARY });
    if (known !== undefined) return known;
    const keys = await this.connection.request<any>({ getIdentityKeys: { userId: uuidToBase64(user) } });
    const primary = (keys.devices ?? []).find((d: any) => Number(d.deviceId ?? 0) === PRIMARY);
    if (primary?.identityKey === undefined) throw new ParleyError(404, 'this user\'s primary device has published no identity key');
    return fromBase64(primary.identityKey);
  }

  /** Whether the user marked this contact verified for the number shown now. */
  async isVerified(peer: string, number: string): Promise<boolean> {
    return (await this.verified())[peer] === number;
  }

  async setVerified(peer: string, number: string, verified: boolean): Promise<void> {
    const all = await this.verified();
    if (verified) all[peer] = number;
    else delete all[peer];
    await this.db.put('kv', all, VERIFIED_KEY);
  }

  private async verified(): Promise<Record<string, string>> {
    return (await this.db.get<Record<string, string>>('kv', VERIFIED_KEY)) ?? {};
  }
}
