// The Double Ratchet's key schedule: the root-key step (HKDF "WhisperRatchet"), the chain-key
// step (HMAC 0x01 for a message key seed, 0x02 for the next chain key) and message keys
// (HKDF "WhisperMessageKeys" → AES key, MAC key, IV).
import { utf8 } from './bytes.js';
import { calculateAgreement } from './curve.js';
import { hkdfSha256, hmacSha256 } from './kdf.js';

export interface ChainKey {
  readonly key: Uint8Array;
  readonly index: number;
}

export interface MessageKeys {
  readonly cipherKey: Uint8Array;
  readonly macKey: Uint8Array;
  readonly iv: Uint8Array;
  readonly counter: number;
}

const RATCHET_INFO = utf8('WhisperRatchet');
const MESSAGE_KEYS_INFO = utf8('WhisperMessageKeys');
const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);

export function nextChainKey(chainKey: ChainKey): ChainKey {
  return { key: hmacSha256(chainKey.key, CHAIN_KEY_SEED), index: chainKey.index + 1 };
}

/** The seed libsignal stores for a skipped message; the keys are derived from it when used. */
export function messageKeySeed(chainKey: ChainKey): Uint8Array {
  return hmacSha256(chainKey.key, MESSAGE_KEY_SEED);
}

/**
 * Message keys from a seed. libsignal salts this HKDF with the SPQR key once SPQR is negotiated;
 * with the classic ratchet (no SPQR) the salt is absent, which is what this client speaks.
 */
export function deriveMessageKeys(seed: Uint8Array, counter: number): MessageKeys {
  const okm = hkdfSha256(seed, undefined, MESSAGE_KEYS_INFO, 80);
  return {
    cipherKey: okm.slice(0, 32),
    macKey: okm.slice(32, 64),
    iv: okm.slice(64, 80),
    counter,
  };
}

export function messageKeysFor(chainKey: ChainKey): MessageKeys {
  return deriveMessageKeys(messageKeySeed(chainKey), chainKey.index);
}

/** One DH ratchet step: HKDF(salt = root key, ikm = DH(our ratchet, their ratchet)). */
export function createChain(
  rootKey: Uint8Array,
  theirRatchetKey: Uint8Array,
  ourRatchetPrivateKey: Uint8Array,
): { rootKey: Uint8Array; chainKey: ChainKey } {
  const sharedSecret = calculateAgreement(theirRatchetKey, ourRatchetPrivateKey);
  const okm = hkdfSha256(sharedSecret, rootKey, RATCHET_INFO, 64);
  return { rootKey: okm.slice(0, 32), chainKey: { key: okm.slice(32, 64), index: 0 } };
}
