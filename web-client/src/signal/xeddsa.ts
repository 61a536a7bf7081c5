// XEdDSA signatures with Curve25519 (X25519) keys, as libsignal computes them: the Edwards public
// key is derived from the Montgomery one, and its sign bit travels in the signature's top bit.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, constantTimeEqual, randomBytes } from './bytes.js';
import { montgomeryToEdwards, rawPublicKey } from './curve.js';

export const SIGNATURE_LENGTH = 64;

const Point = ed25519.Point;
const Fn = Point.Fn;

/** The "hash1" domain separator of the XEdDSA paper: 0xFE followed by 31 bytes of 0xFF. */
const NONCE_PREFIX = (() => {
  const prefix = new Uint8Array(32).fill(0xff);
  prefix[0] = 0xfe;
  return prefix;
})();

function scalarFromBytesModOrder(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return Fn.create(n);
}

function scalarToBytes(scalar: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let n = scalar;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/**
 * Signs with a clamped X25519 private key. libsignal does not negate the key to force a positive
 * Edwards public key (the paper does); it stores the sign bit in bit 255 of the signature instead,
 * which is always zero in a reduced scalar. `random` (64 bytes) exists for deterministic tests.
 */
export function xeddsaSign(
  privateKey: Uint8Array,
  message: Uint8Array,
  random: Uint8Array = randomBytes(64),
): Uint8Array {
  if (privateKey.length !== 32) throw new Error('private key must be 32 bytes');
  if (random.length !== 64) throw new Error('signing randomness must be 64 bytes');
  const a = scalarFromBytesModOrder(privateKey);
  const edPublicKey = Point.BASE.multiply(a).toBytes();
  const signBit = edPublicKey[31]! & 0x80;

  const r = scalarFromBytesModOrder(sha512(concatBytes(NONCE_PREFIX, privateKey, message, random)));
  const capitalR = Point.BASE.multiply(r).toBytes();
  const h = scalarFromBytesModOrder(sha512(concatBytes(capitalR, edPublicKey, message)));
  const s = Fn.add(Fn.mul(h, a), r);

  const signature = concatBytes(capitalR, scalarToBytes(s));
  signature[63]! &= 0x7f;
  signature[63]! |= signBit;
  return signature;
}

/** Verifies against a serialized (0x05-prefixed) public key; false on any malformed input. */
export function xeddsaVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_LENGTH) return false;
  let u: Uint8Array;
  try {
    u = rawPublicKey(publicKey);
  } catch {
    return false;
  }
  const edPoint = montgomeryToEdwards(u, (signature[63]! & 0x80) >> 7);
  if (edPoint === undefined) return false;
  const edPublicKey = edPoint.toBytes();

  const capitalR = signature.subarray(0, 32);
  const sBytes = signature.slice(32, 64);
  sBytes[31]! &= 0x7f;
  // A reduced scalar is below 2^253; anything larger is malleated, as libsignal also rejects.
  if ((sBytes[31]! & 0xe0) !== 0) return false;

  const h = scalarFromBytesModOrder(sha512(concatBytes(capitalR, edPublicKey, message)));
  const s = scalarFromBytesModOrder(sBytes);
  try {
    const check = Point.BASE.multiplyUnsafe(s).subtract(edPoint.multiplyUnsafe(h)).toBytes();
    return constantTimeEqual(check, capitalR);
  } catch {
    // Arithmetic on adversarial input must answer "invalid", never throw.
    return false;
  }
}
