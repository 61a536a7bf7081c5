// Kyber1024 as in the NIST round-3 submission (libsignal key type 0x08), built on the ML-KEM-1024
// internals of @noble/post-quantum: same lattice scheme, different hashing around it.
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { concatBytes, randomBytes } from './bytes.js';
import { InvalidKeyError } from './errors.js';

export const KYBER1024_KEY_TYPE = 0x08;
export const KYBER1024_PUBLIC_KEY_LENGTH = 1568;
export const KYBER1024_SECRET_KEY_LENGTH = 3168;
export const KYBER1024_CIPHERTEXT_LENGTH = 1568;

/** Both halves carry libsignal's type byte: public 1569 bytes, secret 3169 bytes. */
export interface KyberKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

function withTypeByte(raw: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(KYBER1024_KEY_TYPE), raw);
}

function stripTypeByte(serialized: Uint8Array, rawLength: number, what: string): Uint8Array {
  if (serialized.length === 0) throw new InvalidKeyError(`${what}: no key type identifier`);
  if (serialized[0] !== KYBER1024_KEY_TYPE) {
    throw new InvalidKeyError(`${what}: unsupported KEM key type ${serialized[0]}`);
  }
  if (serialized.length !== rawLength + 1) {
    throw new InvalidKeyError(`${what}: bad length ${serialized.length}`);
  }
  return serialized.subarray(1);
}

/**
 * Key generation draws d ‖ z (64 bytes) like both variants. Noble's FIPS 203 keygen hashes
 * G(d ‖ k) where round 3 hashes G(d): the same seed gives different keys than libcrux, but
 * the key format and distribution are identical, and keys never leave the device as seeds.
 */
export function generateKyberKeyPair(seed: Uint8Array = randomBytes(64)): KyberKeyPair {
  const { publicKey, secretKey } = ml_kem1024.keygen(seed);
  return { publicKey: withTypeByte(publicKey), secretKey: withTypeByte(secretKey) };
}

export function parseKyberPublicKey(serialized: Uint8Array): Uint8Array {
  stripTypeByte(serialized, KYBER1024_PUBLIC_KEY_LENGTH, 'Kyber public key');
  return serialized;
}

/** Round 3's KDF: K = SHAKE256(K̄ ‖ SHA3-256(c)), 32 bytes. */
function kyberKdf(preKey: Uint8Array, rawCiphertext: Uint8Array): Uint8Array {
  return shake256(concatBytes(preKey, sha3_256(rawCiphertext)), { dkLen: 32 });
}

/**
 * Encapsulates to a serialized public key; returns the 32-byte shared secret and the ciphertext
 * with its type byte (1569 bytes), as PreKeySignalMessage carries it. `entropy` is for tests.
 */
export function kyberEncapsulate(
  publicKey: Uint8Array,
  entropy: Uint8Array = randomBytes(32),
): { sharedSecret: Uint8Array; ciphertext: Uint8Array } {
  const raw = stripTypeByte(publicKey, KYBER1024_PUBLIC_KEY_LENGTH, 'Kyber public key');
  // Round 3 never uses raw RNG output as m: it hashes it first.
  const m = sha3_256(entropy);
  let encapsulated: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulated = ml_kem1024.encapsulate(raw, m);
  } catch (e) {
    throw new InvalidKeyError(`Kyber public key rejected: ${(e as Error).message}`);
  }
  return {
    sharedSecret: kyberKdf(encapsulated.sharedSecret, encapsulated.cipherText),
    ciphertext: withTypeByte(encapsulated.cipherText),
  };
}

/**
 * Decapsulates a serialized ciphertext. On an invalid ciphertext noble returns the implicit
 * rejection value SHAKE256(z ‖ c); the final KDF then gives SHAKE256(SHAKE256(z ‖ c) ‖ H(c)),
 * which is exactly what libcrux's Kyber variant returns, so even rejections match libsignal.
 */
export function kyberDecapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const rawSecret = stripTypeByte(secretKey, KYBER1024_SECRET_KEY_LENGTH, 'Kyber secret key');
  const rawCiphertext = stripTypeByte(ciphertext, KYBER1024_CIPHERTEXT_LENGTH, 'Kyber ciphertext');
  return kyberKdf(ml_kem1024.decapsulate(rawCiphertext, rawSecret), rawCiphertext);
}
