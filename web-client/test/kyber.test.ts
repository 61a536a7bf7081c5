// The Kyber1024 round-3 wrapper: libsignal's serialization (type byte 0x08), the round-3 hashing
// around ML-KEM, and implicit rejection identical to libcrux's Kyber variant.
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../src/signal/bytes.js';
import { InvalidKeyError } from '../src/signal/errors.js';
import { generateKyberKeyPair, kyberDecapsulate, kyberEncapsulate } from '../src/signal/kyber.js';

describe('Kyber1024 (round 3)', () => {
  const keyPair = generateKyberKeyPair();

  it('serializes keys and ciphertexts with the 0x08 type byte', () => {
    expect(keyPair.publicKey.length).toBe(1569);
    expect(keyPair.secretKey.length).toBe(3169);
    expect(keyPair.publicKey[0]).toBe(0x08);
    expect(keyPair.secretKey[0]).toBe(0x08);
    const { ciphertext, sharedSecret } = kyberEncapsulate(keyPair.publicKey);
    expect(ciphertext.length).toBe(1569);
    expect(ciphertext[0]).toBe(0x08);
    expect(sharedSecret.length).toBe(32);
  });

  it('agrees on the shared secret', () => {
    const { ciphertext, sharedSecret } = kyberEncapsulate(keyPair.publicKey);
    expect(kyberDecapsulate(keyPair.secretKey, ciphertext)).toEqual(sharedSecret);
  });

  it('hashes the entropy into m and the ciphertext into K, unlike ML-KEM', () => {
    const entropy = new Uint8Array(32).fill(42);
    const raw = keyPair.publicKey.subarray(1);
    const inner = ml_kem1024.encapsulate(raw, sha3_256(entropy));
    const expected = shake256(concatBytes(inner.sharedSecret, sha3_256(inner.cipherText)), { dkLen: 32 });
    const ours = kyberEncapsulate(keyPair.publicKey, entropy);
    expect(ours.ciphertext.subarray(1)).toEqual(inner.cipherText);
    expect(ours.sharedSecret).toEqual(expected);
    expect(ours.sharedSecret).not.toEqual(ml_kem1024.encapsulate(raw, entropy).sharedSecret);
  });

  it('rejects a tampered ciphertext implicitly, as SHAKE256(SHAKE256(z ‖ c) ‖ H(c)) like libcrux', () => {
    const { ciphertext, sharedSecret } = kyberEncapsulate(keyPair.publicKey);
    const tampered = ciphertext.slice();
    tampered[100]! ^= 0x01;
    const z = keyPair.secretKey.subarray(keyPair.secretKey.length - 32);
    const c = tampered.subarray(1);
    const rejection = shake256(concatBytes(shake256(concatBytes(z, c), { dkLen: 32 }), sha3_256(c)), { dkLen: 32 });
    const result = kyberDecapsulate(keyPair.secretKey, tampered);
    expect(result).not.toEqual(sharedSecret);
    expect(result).toEqual(rejection);
  });

  it('refuses other key types and lengths', () => {
    const mlkemTyped = keyPair.publicKey.slice();
    mlkemTyped[0] = 0x0a;
    expect(() => kyberEncapsulate(mlkemTyped)).toThrow(InvalidKeyError);
    expect(() => kyberEncapsulate(keyPair.publicKey.subarray(0, 1000))).toThrow(InvalidKeyError);
    const { ciphertext } = kyberEncapsulate(keyPair.publicKey);
    expect(() => kyberDecapsulate(keyPair.secretKey, ciphertext.subarray(1))).toThrow(InvalidKeyError);
  });
});
