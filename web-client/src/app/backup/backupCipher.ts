// A backup's encryption, byte for byte the Java SDK's BackupCipher: a 256-bit key from the
// passphrase (UTF-8) with Argon2id v1.3, then AES-256-GCM with the whole header as associated
// data. Layout: "PRLYBAK1", memory KiB, iterations, lanes (4 bytes each, big-endian), 16-byte
// salt, 12-byte nonce, ciphertext with its 16-byte tag. A wrong passphrase and a damaged blob
// both fail the tag check (WrongPassphraseError).
import { argon2idAsync } from '@noble/hashes/argon2.js';

const MAGIC = new TextEncoder().encode('PRLYBAK1');
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 12 + SALT_BYTES + NONCE_BYTES;

/** Argon2id cost: memory in KiB, passes, lanes. */
export interface KdfParams {
  memoryKib: number;
  iterations: number;
  lanes: number;
}

/** The SDK's defaults: 64 MiB, 3 passes, 1 lane. */
export const DEFAULT_PARAMS: KdfParams = { memoryKib: 64 * 1024, iterations: 3, lanes: 1 };
/** What a blob may ask for (as the SDK): a hostile blob must not exhaust memory or time. */
const MAX_MEMORY_KIB = 1024 * 1024;
const MAX_ITERATIONS = 64;
const MAX_LANES = 16;

export class WrongPassphraseError extends Error {
  constructor() {
    super('wrong passphrase, or the backup was damaged: it does not decrypt');
    this.name = 'WrongPassphraseError';
  }
}

export async function encryptBackup(passphrase: string, plaintext: Uint8Array, params: KdfParams = DEFAULT_PARAMS,
  onProgress?: (fraction: number) => void): Promise<Uint8Array> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(MAGIC, 0);
  view.setUint32(MAGIC.length, params.memoryKib);
  view.setUint32(MAGIC.length + 4, params.iterations);
  view.setUint32(MAGIC.length + 8, params.lanes);
  header.set(salt, MAGIC.length + 12);
  header.set(nonce, MAGIC.length + 12 + SALT_BYTES);
  const key = await deriveKey(passphrase, salt, params, onProgress);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: 128 },
    key, plaintext as Uint8Array<ArrayBuffer>));
  const blob = new Uint8Array(header.length + sealed.length);
  blob.set(header, 0);
  blob.set(sealed, header.length);
  return blob;
}

export async function decryptBackup(passphrase: string, blob: Uint8Array, onProgress?: (fraction: number) => void): Promise<Uint8Array> {
  if (blob.length < HEADER_BYTES + TAG_BYTES || !MAGIC.every((b, i) => blob[i] === b)) {
    throw new Error('this is not a Parley backup (no PRLYBAK1 header)');
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const params: KdfParams = { memoryKib: view.getUint32(MAGIC.length), iterations: view.getUint32(MAGIC.length + 4),
    lanes: view.getUint32(MAGIC.length + 8) };
  if (params.memoryKib < 8 || params.memoryKib > MAX_MEMORY_KIB || params.iterations < 1 || params.iterations > MAX_ITERATIONS
    || params.lanes < 1 || params.lanes > MAX_LANES) {
    throw new Error(`the backup asks for an unreasonable key derivation: ${JSON.stringify(params)}`);
  }
  const salt = blob.slice(MAGIC.length + 12, MAGIC.length + 12 + SALT_BYTES);
  const nonce = blob.slice(MAGIC.length + 12 + SALT_BYTES, HEADER_BYTES);
  const key = await deriveKey(passphrase, salt, params, onProgress);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: blob.slice(0, HEADER_BYTES),
      tagLength: 128 }, key, blob.slice(HEADER_BYTES)));
  } catch {
    throw new WrongPassphraseError();
  }
}

async function deriveKey(passphrase: string, salt: Uint8Array, params: KdfParams,
  onProgress?: (fraction: number) => void): Promise<CryptoKey> {
  const raw = await argon2idAsync(new TextEncoder().encode(passphrase), salt, { t: params.iterations, m: params.memoryKib,
    p: params.lanes, version: 0x13, dkLen: 32, maxmem: (params.memoryKib + 1024) * 1024, ...(onProgress ? { onProgress } : {}) });
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
  raw.fill(0);
  return key;
}
