// Attachment encryption in the Java SDK's format (AttachmentCipher), as Signal does it: a random
// 64-byte key per attachment (AES-256 key ‖ HMAC-SHA256 key); the sealed bytes are
// IV(16) ‖ AES-256-CBC/PKCS#7(file) ‖ HMAC-SHA256(IV ‖ ciphertext)(32), and the digest is SHA-256
// of all of them. WebCrypto does the work: it is native code, fast enough for a 100 MiB video.
import { concatBytes, constantTimeEqual, randomBytes } from '../../signal/bytes.js';

export const KEY_BYTES = 64;
const IV_BYTES = 16;
const MAC_BYTES = 32;
const BLOCK_BYTES = 16;

/** A file made ready for upload: what the server stores and what the message carries. */
export interface Sealed {
  readonly sealed: Uint8Array;
  readonly key: Uint8Array;
  readonly digest: Uint8Array;
  readonly plaintextSize: number;
}

/** Why an attachment was not opened; `reason` lets the view say which check failed. */
export class AttachmentIntegrityError extends Error {
  constructor(readonly reason: 'digest' | 'mac' | 'format', message: string) {
    super(message);
    this.name = 'AttachmentIntegrityError';
  }
}

/** The sealed size of a file of this many bytes, known before anything is read or encrypted. */
export function sealedSize(plaintextBytes: number): number {
  return IV_BYTES + (Math.floor(plaintextBytes / BLOCK_BYTES) + 1) * BLOCK_BYTES + MAC_BYTES;
}

/** Encrypts under a new random key (tests pass a key and IV to compare with a Java-made vector). */
export async function sealAttachment(plain: Uint8Array, key = randomBytes(KEY_BYTES), iv = randomBytes(IV_BYTES)): Promise<Sealed> {
  if (key.length !== KEY_BYTES) throw new RangeError(`an attachment key is ${KEY_BYTES} bytes, got ${key.length}`);
  if (iv.length !== IV_BYTES) throw new RangeError(`an IV is ${IV_BYTES} bytes, got ${iv.length}`);
  const subtle = globalThis.crypto.subtle;
  const aes = await subtle.importKey('raw', key.slice(0, 32), 'AES-CBC', false, ['encrypt']);
  const body = concatBytes(iv, new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: own(iv) }, aes, own(plain))));
  const mac = new Uint8Array(await subtle.sign('HMAC', await macKey(key, 'sign'), own(body)));
  const sealed = concatBytes(body, mac);
  const digest = new Uint8Array(await subtle.digest('SHA-256', own(sealed)));
  return { sealed, key, digest, plaintextSize: plain.length };
}

/**
 * Checks the sealed bytes against the message's digest, then their MAC, and only then decrypts.
 * Throws AttachmentIntegrityError when a check fails: nothing of a tampered file is ever shown.
 */
export async function openAttachment(sealed: Uint8Array, key: Uint8Array, expectedDigest: Uint8Array): Promise<Uint8Array> {
  if (key.length !== KEY_BYTES) throw new AttachmentIntegrityError('format', `an attachment key is ${KEY_BYTES} bytes, got ${key.length}`);
  if (sealed.length < IV_BYTES + BLOCK_BYTES + MAC_BYTES || (sealed.length - IV_BYTES - MAC_BYTES) % BLOCK_BYTES !== 0) {
    throw new AttachmentIntegrityError('format', `attachment ciphertext of ${sealed.length} bytes is not a whole number of blocks`);
  }
  const subtle = globalThis.crypto.subtle;
  const digest = new Uint8Array(await subtle.digest('SHA-256', own(sealed)));
  if (!constantTimeEqual(digest, expectedDigest)) {
    throw new AttachmentIntegrityError('digest', 'the attachment does not match the digest in its message (altered or damaged)');
  }
  const body = sealed.subarray(0, sealed.length - MAC_BYTES);
  const mac = sealed.subarray(sealed.length - MAC_BYTES);
  if (!(await subtle.verify('HMAC', await macKey(key, 'verify'), own(mac), own(body)))) {
    throw new AttachmentIntegrityError('mac', 'the attachment MAC does not verify (wrong key or altered bytes)');
  }
  const aes = await subtle.importKey('raw', key.slice(0, 32), 'AES-CBC', false, ['decrypt']);
  try {
    const iv = body.subarray(0, IV_BYTES);
    return new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: own(iv) }, aes, own(body.subarray(IV_BYTES))));
  } catch (e) {
    throw new AttachmentIntegrityError('format', `the attachment does not decrypt: ${(e as Error).message}`);
  }
}

function macKey(key: Uint8Array, use: 'sign' | 'verify'): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', key.slice(32, 64), { name: 'HMAC', hash: 'SHA-256' }, false, [use]);
}

/** WebCrypto's typings want ArrayBuffer-backed views; every array here is one (none is shared memory). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
