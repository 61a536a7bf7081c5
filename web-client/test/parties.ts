// Test helper: a device with an in-memory store and a freshly published prekey bundle.
import {
  generateIdentityKeyPair,
  generateKyberPreKey,
  generatePreKey,
  generateRegistrationId,
  generateSignedPreKey,
  InMemorySignalProtocolStore,
  type PreKeyBundle,
  type ProtocolAddress,
} from '../src/signal/index.js';

export interface Party {
  readonly address: ProtocolAddress;
  readonly store: InMemorySignalProtocolStore;
  bundle(options?: { withOneTimePreKey?: boolean; lastResort?: boolean }): PreKeyBundle;
}

let nextKeyId = 1;

export function createParty(name: string, deviceId = 1): Party {
  const store = new InMemorySignalProtocolStore(generateIdentityKeyPair(), generateRegistrationId());
  return {
    address: { name, deviceId },
    store,
    bundle({ withOneTimePreKey = true, lastResort = false } = {}) {
      const preKey = generatePreKey(nextKeyId++);
      const signedPreKey = generateSignedPreKey(store.identityKeyPair, nextKeyId++);
      const kyberPreKey = generateKyberPreKey(store.identityKeyPair, nextKeyId++, { lastResort });
      store.preKeys.set(preKey.id, preKey);
      store.signedPreKeys.set(signedPreKey.id, signedPreKey);
      store.kyberPreKeys.set(kyberPreKey.id, kyberPreKey);
      return {
        registrationId: store.registrationId,
        deviceId,
        ...(withOneTimePreKey ? { preKeyId: preKey.id, preKey: preKey.keyPair.publicKey } : {}),
        signedPreKeyId: signedPreKey.id,
        signedPreKey: signedPreKey.keyPair.publicKey,
        signedPreKeySignature: signedPreKey.signature,
        identityKey: store.identityKeyPair.publicKey,
        kyberPreKeyId: kyberPreKey.id,
        kyberPreKey: kyberPreKey.keyPair.publicKey,
        kyberPreKeySignature: kyberPreKey.signature,
      };
    },
  };
}
