// Curve25519 keys as libsignal serializes them: public keys are the type byte 0x05 followed by
// the 32-byte Montgomery u-coordinate, private keys are 32 clamped bytes; X25519 agreement.
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesEqual, concatBytes, randomBytes } from './bytes.js';
import { InvalidKeyError } from './errors.js';

export const DJB_KEY_TYPE = 0x05;
export const PUBLIC_KEY_LENGTH = 33;
export const PRIVATE_KEY_LENGTH = 32;

/** A Curve25519 key pair; the public key is always kept in its 33-byte serialized form. */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** Clamps as RFC 7748 and libsignal do, so stored private keys are already valid scalars. */
export function clampPrivateKey(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== PRIVATE_KEY_LENGTH) throw new InvalidKeyError('private key must be 32 bytes');
  const key = bytes.slice();
  key[0]! &= 248;
  key[31]! &= 127;
  key[31]! |= 64;
  return key;
}

export function generateKeyPair(): KeyPair {
  return keyPairFromPrivateKey(randomBytes(PRIVATE_KEY_LENGTH));
}

export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  const clamped = clampPrivateKey(privateKey);
  return { privateKey: clamped, publicKey: serializePublicKey(x25519.getPublicKey(clamped)) };
}

export function serializePublicKey(uCoordinate: Uint8Array): Uint8Array {
  if (uCoordinate.length !== 32) throw new InvalidKeyError('raw public key must be 32 bytes');
  return concatBytes(Uint8Array.of(DJB_KEY_TYPE), uCoordinate);
}

/**
 * Validates a serialized public key and returns its canonical 33-byte form. libsignal tolerates
 * (and logs) trailing bytes after the key, so this does too, dropping them.
 */
export function parsePublicKey(serialized: Uint8Array): Uint8Array {
  if (serialized.length === 0) throw new InvalidKeyError('no key type identifier');
  if (serialized[0] !== DJB_KEY_TYPE) throw new InvalidKeyError(`bad key type ${serialized[0]}`);
  if (serialized.length < PUBLIC_KEY_LENGTH) {
    throw new InvalidKeyError(`bad key length ${serialized.length}`);
  }
  return serialized.length === PUBLIC_KEY_LENGTH ? serialized : serialized.slice(0, PUBLIC_KEY_LENGTH);
}

/** The 32-byte u-coordinate inside a serialized public key. */
export function rawPublicKey(serialized: Uint8Array): Uint8Array {
  return parsePublicKey(serialized).subarray(1);
}

/**
 * X25519 between our private key and their serialized public key. Unlike libsignal (which
 * returns 32 zero bytes), a low-order peer key is refused: such a key only comes from an attacker.
 */
export function calculateAgreement(theirPublicKey: Uint8Array, ourPrivateKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(ourPrivateKey, rawPublicKey(theirPublicKey));
  } catch (e) {
    if (e instanceof InvalidKeyError) throw e;
    throw new InvalidKeyError(`X25519 agreement failed: ${(e as Error).message}`);
  }
}

export function publicKeysEqual(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqual(a, b);
}

const Fp = ed25519.Point.Fp;
const P = Fp.ORDER;

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function numberToBytesLE(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/**
 * The Edwards point birationally equivalent to a Montgomery u-coordinate (y = (u-1)/(u+1)),
 * choosing the x whose sign is `signBit`; undefined when u = -1 or no such point exists.
 * Like curve25519-dalek, the top bit of u is ignored and u is reduced modulo p.
 */
export function montgomeryToEdwards(u32: Uint8Array, signBit: number): typeof ed25519.Point.BASE | undefined {
  const masked = u32.slice();
  masked[31]! &= 0x7f;
  const u = Fp.create(bytesToNumberLE(masked));
  const denominator = Fp.add(u, Fp.ONE);
  if (Fp.is0(denominator)) return undefined;
  const y = Fp.mul(Fp.sub(u, Fp.ONE), Fp.inv(denominator));
  const encoded = numberToBytesLE(y, 32);
  encoded[31]! |= (signBit & 1) << 7;
  try {
    // ZIP-215 decoding accepts x = 0 with the sign bit set, as curve25519-dalek does.
    return ed25519.Point.fromBytes(encoded, true);
  } catch {
    return undefined;
  }
}

/**
 * libsignal's `is_canonical` check on a peer's PQXDH base key: the u-coordinate is reduced
 * (below p, top bit clear) and the point has no small-order component.
 */
export function isCanonicalPublicKey(serialized: Uint8Array): boolean {
  const u32 = rawPublicKey(serialized);
  if ((u32[31]! & 0x80) !== 0) return false;
  if (bytesToNumberLE(u32) >= P) return false;
  const point = montgomeryToEdwards(u32, 0);
  return point !== undefined && point.isTorsionFree();
}
