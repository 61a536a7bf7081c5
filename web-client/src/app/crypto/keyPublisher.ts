// Publishes this device's Signal keys: the first time its identity, registration id, signed
// prekey, last-resort Kyber key and a batch of one-time keys; later, more one-time keys whenever
// the server holds fewer than its low watermark. Batches stay small so that an upload of Kyber
// keys (1,569 bytes each, base64 in JSON) stays well under the 256 KiB frame limit.
import {
  generateKyberPreKey,
  generatePreKey,
  generateSignedPreKey,
  toBase64,
} from '../../signal/index.js';
import type { Connection } from '../net/connection.js';
import type { Database } from '../data/db.js';
import type { PersistentSignalStore } from './persistentStore.js';

const BATCH = 20;
const MAX_KEY_ID = 16_777_215;

export interface KeyCounts {
  preKeys?: number;
  kyberPreKeys?: number;
  lowWatermark?: number;
  registered?: boolean;
}

export class KeyPublisher {
  private running: Promise<KeyCounts> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly store: PersistentSignalStore,
    private readonly db: Database,
  ) {}

  /** Makes sure the server has this device's keys; safe to call at every connect. */
  publish(): Promise<KeyCounts> {
    this.running ??= this.publishNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async publishNow(): Promise<KeyCounts> {
    const counts = await this.connection.request<KeyCounts>({ keyCounts: {} });
    if (!counts.registered) return this.upload(true);
    const low = counts.lowWatermark ?? 10;
    if ((counts.preKeys ?? 0) < low || (counts.kyberPreKeys ?? 0) < low) return this.upload(false);
    return counts;
  }

  private async upload(first: boolean): Promise<KeyCounts> {
    const identity = this.store.identityKeyPair;
    const body: Record<string, unknown> = { preKeys: [], kyberPreKeys: [] };
    for (let i = 0; i < BATCH; i++) {
      const preKey = generatePreKey(await this.nextId());
      await this.store.addPreKey(preKey);
      (body.preKeys as unknown[]).push({ keyId: preKey.id, publicKey: toBase64(preKey.keyPair.publicKey) });
      const kyber = generateKyberPreKey(identity, await this.nextId());
      await this.store.addKyberPreKey(kyber);
      (body.kyberPreKeys as unknown[]).push(signed(kyber.id, kyber.keyPair.publicKey, kyber.signature));
    }
    if (first) {
      const signedPreKey = generateSignedPreKey(identity, await this.nextId());
      await this.store.addSignedPreKey(signedPreKey);
      const lastResort = generateKyberPreKey(identity, await this.nextId(), { lastResort: true });
      await this.store.addKyberPreKey(lastResort);
      Object.assign(body, {
        identityKey: toBase64(identity.publicKey),
        registrationId: this.store.registrationId,
        signedPreKey: signed(signedPreKey.id, signedPreKey.keyPair.publicKey, signedPreKey.signature),
        lastResortKyberPreKey: signed(lastResort.id, lastResort.keyPair.publicKey, lastResort.signature),
      });
    }
    return this.connection.request<KeyCounts>({ uploadKeys: body });
  }

  private async nextId(): Promise<number> {
    const id = ((await this.db.get<number>('kv', 'nextKeyId')) ?? 1) % MAX_KEY_ID || 1;
    await this.db.put('kv', id + 1, 'nextKeyId');
    return id;
  }
}

function signed(keyId: number, publicKey: Uint8Array, signature: Uint8Array) {
  return { keyId, publicKey: toBase64(publicKey), signature: toBase64(signature) };
}
