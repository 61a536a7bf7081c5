// Known answers produced by the Java libsignal 0.86.5 (test/fixtures, written by
// LibsignalVectorsWriter) and by libsignal's own Rust tests: the TypeScript code must agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, fromUtf8, toHex } from '../src/signal/bytes.js';
import { calculateAgreement, keyPairFromPrivateKey } from '../src/signal/curve.js';
import { processSenderKeyDistributionMessage, groupDecrypt } from '../src/signal/groupCipher.js';
import { kyberDecapsulate } from '../src/signal/kyber.js';
import { parsePreKeySignalMessage } from '../src/signal/messages.js';
import { messageKeysFor, nextChainKey } from '../src/signal/ratchet.js';
import { SessionCipher } from '../src/signal/sessionCipher.js';
import { InMemorySignalProtocolStore } from '../src/signal/stores.js';
import { xeddsaVerify } from '../src/signal/xeddsa.js';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/libsignal-0.86.5.json', import.meta.url), 'utf8'));

describe('vectors from the Java libsignal 0.86.5', () => {
  it('derives the same X25519 public keys and agreements', () => {
    for (const v of vectors.x25519) {
      const pair = keyPairFromPrivateKey(fromBase64(v.privateKey));
      expect(pair.publicKey).toEqual(fromBase64(v.publicKey));
      expect(calculateAgreement(fromBase64(v.peerPublicKey), pair.privateKey)).toEqual(fromBase64(v.sharedSecret));
    }
  });

  it('verifies XEdDSA signatures made by libsignal, and rejects them altered', () => {
    for (const v of vectors.xeddsa) {
      const publicKey = fromBase64(v.publicKey);
      const message = fromBase64(v.message);
      const signature = fromBase64(v.signature);
      expect(xeddsaVerify(publicKey, message, signature)).toBe(true);
      const altered = signature.slice();
      altered[5]! ^= 0x10;
      expect(xeddsaVerify(publicKey, message, altered)).toBe(false);
    }
  });

  it('plays Bob to a libsignal Alice: Kyber decapsulation, PQXDH and the first messages', async () => {
    const v = vectors.pqxdh;
    const bob = new InMemorySignalProtocolStore(keyPairFromPrivateKey(fromBase64(v.bobIdentityPrivate)), v.bobRegistrationId);
    expect(bob.identityKeyPair.publicKey).toEqual(fromBase64(v.bobIdentityPublic));
    bob.signedPreKeys.set(v.signedPreKeyId, {
      id: v.signedPreKeyId,
      timestamp: 0,
      keyPair: keyPairFromPrivateKey(fromBase64(v.signedPreKeyPrivate)),
      signature: new Uint8Array(64),
    });
    bob.preKeys.set(v.preKeyId, { id: v.preKeyId, keyPair: keyPairFromPrivateKey(fromBase64(v.preKeyPrivate)) });
    bob.kyberPreKeys.set(v.kyberPreKeyId, {
      id: v.kyberPreKeyId,
      timestamp: 0,
      keyPair: { publicKey: fromBase64(v.kyberPublic), secretKey: fromBase64(v.kyberSecret) },
      signature: new Uint8Array(64),
      lastResort: false,
    });

    const first = parsePreKeySignalMessage(fromBase64(v.messages[0].body));
    expect(first.kyberCiphertext!.length).toBe(1569);
    expect(first.kyberCiphertext![0]).toBe(0x08);
    expect(kyberDecapsulate(fromBase64(v.kyberSecret), first.kyberCiphertext!).length).toBe(32);
    // libsignal offers SPQR in its first messages; this client reads past it.
    expect(first.message.pqRatchet.length).toBeGreaterThan(0);

    const alice = { name: 'alice', deviceId: 1 };
    const cipher = new SessionCipher(bob, alice);
    for (const message of v.messages) {
      expect(fromUtf8(await cipher.decrypt(message.type, fromBase64(message.body)))).toBe(message.plaintext);
    }
    expect(bob.preKeys.has(v.preKeyId)).toBe(false);
    expect(bob.kyberPreKeys.has(v.kyberPreKeyId)).toBe(false);
    expect(await bob.getIdentity(alice)).toEqual(fromBase64(v.aliceIdentityPublic));
  });

  it('decrypts libsignal sender-key messages out of order', async () => {
    const v = vectors.senderKeys;
    const store = new InMemorySignalProtocolStore(keyPairFromPrivateKey(new Uint8Array(32).fill(7)), 1);
    const sender = { name: 'sender', deviceId: 1 };
    await processSenderKeyDistributionMessage(store, sender, fromBase64(v.distributionMessage));
    for (const index of [2, 0, 1]) {
      const message = v.messages[index];
      expect(fromUtf8(await groupDecrypt(store, sender, fromBase64(message.body)))).toBe(message.plaintext);
    }
  });
});

describe("libsignal's chain-key vector (rust/protocol/src/ratchet/keys.rs)", () => {
  it('derives the message keys and the next chain key', () => {
    const chainKey = { key: fromHex('8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f'), index: 0 };
    const keys = messageKeysFor(chainKey);
    expect(toHex(keys.cipherKey)).toBe('bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217');
    expect(toHex(keys.macKey)).toBe('c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b');
    expect(keys.counter).toBe(0);
    const next = nextChainKey(chainKey);
    expect(toHex(next.key)).toBe('28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d');
    expect(next.index).toBe(1);
  });
});
