// Test helper: a device with an in-memory store and a freshly published prekey bundle.
import {
  generateIdentityKeyPair,
  generateKyberPreKey,
  generatePreKey,
  generateRegistrationId,
  generateSignedPreKey,
  InMemorySignalProtocolStore,
  preKeyBundleOf,
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
      return preKeyBundleOf({
        registrationId: store.registrationId,
        deviceId,
        identityKey: store.identityKeyPair.publicKey,
        ...(withOneTimePreKey ? { preKey } : {}),
        signedPreKey,
        kyberPreKey,
      });
    },
  };
}
