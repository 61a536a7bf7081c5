// Known-answer tests of the primitives: X25519 (RFC 7748), HKDF (RFC 5869), HMAC-SHA256
// (RFC 4231), AES-256-CBC (NIST SP 800-38A), and XEdDSA's properties.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../src/signal/bytes.js';
import { calculateAgreement, generateKeyPair, isCanonicalPublicKey, keyPairFromPrivateKey, serializePublicKey } from '../src/signal/curve.js';
import { aes256CbcDecrypt, aes256CbcEncrypt, hkdfSha256, hmacSha256 } from '../src/signal/kdf.js';
import { xeddsaSign, xeddsaVerify } from '../src/signal/xeddsa.js';
import { InvalidMessageError } from '../src/signal/errors.js';

describe('X25519 (RFC 7748)', () => {
  it('computes the Diffie-Hellman example of section 6.1', () => {
    const alicePrivate = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPrivate = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alice = keyPairFromPrivateKey(alicePrivate);
    const bob = keyPairFromPrivateKey(bobPrivate);
    expect(toHex(alice.publicKey)).toBe('05' + '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('05' + 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(calculateAgreement(bob.publicKey, alice.privateKey))).toBe(shared);
    expect(toHex(calculateAgreement(alice.publicKey, bob.privateKey))).toBe(shared);
  });

  it('computes the scalar multiplication of section 5.2', () => {
    const scalar = fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4');
    const u = fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c');
    const out = calculateAgreement(serializePublicKey(u), keyPairFromPrivateKey(scalar).privateKey);
    expect(toHex(out)).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });

  it('refuses a low-order peer key instead of returning zeros', () => {
    const ours = generateKeyPair();
    expect(() => calculateAgreement(serializePublicKey(new Uint8Array(32)), ours.privateKey)).toThrow();
  });

  it('accepts generated keys as canonical and rejects unreduced or small-order ones', () => {
    expect(isCanonicalPublicKey(generateKeyPair().publicKey)).toBe(true);
    const highBit = new Uint8Array(32);
    highBit[0] = 9;
    highBit[31] = 0x80;
    expect(isCanonicalPublicKey(serializePublicKey(highBit))).toBe(false);
    // u = 0 is a point of order 2.
    expect(isCanonicalPublicKey(serializePublicKey(new Uint8Array(32)))).toBe(false);
    // u = p is not reduced.
    const p = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    expect(isCanonicalPublicKey(serializePublicKey(p))).toBe(false);
  });
});

describe('HKDF-SHA256 (RFC 5869)', () => {
  it('matches test case 1', () => {
    const okm = hkdfSha256(
      fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
      fromHex('000102030405060708090a0b0c'),
      fromHex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('matches test case 3 (no salt, no info)', () => {
    const okm = hkdfSha256(fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), undefined, new Uint8Array(0), 42);
    expect(toHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});

describe('HMAC-SHA256 (RFC 4231)', () => {
  it('matches test case 2', () => {
    const mac = hmacSha256(utf8('Jefe'), utf8('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('AES-256-CBC', () => {
  // NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt); our CBC always appends a PKCS#7 block.
  const key = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  const iv = fromHex('000102030405060708090a0b0c0d0e0f');
  const plaintext = fromHex(
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  );
  const expected =
    'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b';

  it('matches NIST SP 800-38A F.2.5 and pads with a full PKCS#7 block', () => {
    const ciphertext = aes256CbcEncrypt(key, iv, plaintext);
    expect(ciphertext.length).toBe(80);
    expect(toHex(ciphertext.subarray(0, 64))).toBe(expected);
    expect(aes256CbcDecrypt(key, iv, ciphertext)).toEqual(plaintext);
  });

  it('rejects bad padding and partial blocks as invalid messages', () => {
    const ciphertext = aes256CbcEncrypt(key, iv, utf8('short'));
    const wrongKey = key.slice();
    wrongKey[0]! ^= 1;
    expect(() => aes256CbcDecrypt(wrongKey, iv, ciphertext)).toThrow(InvalidMessageError);
    expect(() => aes256CbcDecrypt(key, iv, ciphertext.subarray(0, 15))).toThrow(InvalidMessageError);
    expect(() => aes256CbcDecrypt(key, iv, new Uint8Array(0))).toThrow(InvalidMessageError);
  });
});

describe('XEdDSA', () => {
  it('verifies its own signatures and rejects any altered message, key or signature', () => {
    const key = generateKeyPair();
    const message = utf8('signed prekey');
    const signature = xeddsaSign(key.privateKey, message);
    expect(xeddsaVerify(key.publicKey, message, signature)).toBe(true);
    expect(xeddsaVerify(key.publicKey, utf8('signed prekeY'), signature)).toBe(false);
    expect(xeddsaVerify(generateKeyPair().publicKey, message, signature)).toBe(false);
    for (const index of [0, 31, 32, 62, 63]) {
      const altered = signature.slice();
      altered[index]! ^= 0x01;
      expect(xeddsaVerify(key.publicKey, message, altered)).toBe(false);
    }
    expect(xeddsaVerify(key.publicKey, message, signature.subarray(0, 63))).toBe(false);
  });

  it('stores the Edwards sign bit in the top bit and rejects unreduced s', () => {
    const key = generateKeyPair();
    const message = utf8('malleability');
    const signature = xeddsaSign(key.privateKey, message, new Uint8Array(64));
    // Deterministic for a fixed nonce input, as libsignal's construction is.
    expect(xeddsaSign(key.privateKey, message, new Uint8Array(64))).toEqual(signature);
    const flippedSign = signature.slice();
    flippedSign[63]! ^= 0x80;
    expect(xeddsaVerify(key.publicKey, message, flippedSign)).toBe(false);
    const unreduced = signature.slice();
    unreduced[63]! |= 0x20;
    expect(xeddsaVerify(key.publicKey, message, unreduced)).toBe(false);
  });
});
