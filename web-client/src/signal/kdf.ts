// The symmetric primitives of the protocol: HKDF and HMAC over SHA-256, and AES-256-CBC with
// PKCS#7 padding. All synchronous (noble), so a ratchet step never waits on the event loop.
import { cbc } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidMessageError } from './errors.js';

/** HKDF-SHA256 (RFC 5869). An absent salt means 32 zero bytes, as in the RFC and libsignal. */
export function hkdfSha256(
  inputKeyMaterial: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdf(sha256, inputKeyMaterial, salt, info, length);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sha256, key, data);
}

/** An incremental HMAC-SHA256, to MAC several parts without concatenating them. */
export function hmacSha256Parts(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = hmac.create(sha256, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export function aes256CbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return cbc(key, iv).encrypt(plaintext);
}

/** Fails with InvalidMessageError on a length that is not whole blocks or on bad padding. */
export function aes256CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new InvalidMessageError('ciphertext length is not a positive multiple of the block size');
  }
  try {
    return cbc(key, iv).decrypt(ciphertext);
  } catch {
    throw new InvalidMessageError('bad padding');
  }
}
