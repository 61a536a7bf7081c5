// PQXDH key agreement (X25519 + Kyber1024), initiator ("Alice") and responder ("Bob") sides,
// producing the first root and chain keys exactly as libsignal's ratchet.rs does.
import { concatBytes, utf8 } from './bytes.js';
import { calculateAgreement, type KeyPair } from './curve.js';
import { hkdfSha256 } from './kdf.js';
import { kyberDecapsulate, kyberEncapsulate } from './kyber.js';
import type { ChainKey } from './ratchet.js';

const PQXDH_INFO = utf8('WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024');
/** "Discontinuity bytes": 32 × 0xFF before the DH outputs, so no X25519 output is a valid prefix. */
const DISCONTINUITY = new Uint8Array(32).fill(0xff);

export interface InitialKeys {
  readonly rootKey: Uint8Array;
  readonly chainKey: ChainKey;
}

/**
 * HKDF over the concatenated secrets: 96 bytes of output, of which libsignal uses the first 32
 * as root key, the next 32 as chain key and the last 32 to seed SPQR (unused without SPQR).
 */
function deriveInitialKeys(secretInput: Uint8Array): InitialKeys {
  const okm = hkdfSha256(secretInput, undefined, PQXDH_INFO, 96);
  return { rootKey: okm.slice(0, 32), chainKey: { key: okm.slice(32, 64), index: 0 } };
}

export interface AliceParameters {
  readonly ourIdentityKeyPair: KeyPair;
  readonly ourBaseKeyPair: KeyPair;
  readonly theirIdentityKey: Uint8Array;
  readonly theirSignedPreKey: Uint8Array;
  readonly theirOneTimePreKey: Uint8Array | undefined;
  readonly theirKyberPreKey: Uint8Array;
}

/** The initiator's side: four or five DH outputs plus a Kyber encapsulation to Bob's prekey. */
export function pqxdhInitiate(params: AliceParameters): InitialKeys & { kyberCiphertext: Uint8Array } {
  const parts = [
    DISCONTINUITY,
    calculateAgreement(params.theirSignedPreKey, params.ourIdentityKeyPair.privateKey),
    calculateAgreement(params.theirIdentityKey, params.ourBaseKeyPair.privateKey),
    calculateAgreement(params.theirSignedPreKey, params.ourBaseKeyPair.privateKey),
  ];
  if (params.theirOneTimePreKey !== undefined) {
    parts.push(calculateAgreement(params.theirOneTimePreKey, params.ourBaseKeyPair.privateKey));
  }
  const { sharedSecret, ciphertext } = kyberEncapsulate(params.theirKyberPreKey);
  parts.push(sharedSecret);
  return { ...deriveInitialKeys(concatBytes(...parts)), kyberCiphertext: ciphertext };
}

export interface BobParameters {
  readonly ourIdentityKeyPair: KeyPair;
  readonly ourSignedPreKeyPair: KeyPair;
  readonly ourOneTimePreKeyPair: KeyPair | undefined;
  readonly ourKyberSecretKey: Uint8Array;
  readonly theirIdentityKey: Uint8Array;
  readonly theirBaseKey: Uint8Array;
  readonly theirKyberCiphertext: Uint8Array;
}

/** The responder's side: the same secrets, computed from the other private halves. */
export function pqxdhRespond(params: BobParameters): InitialKeys {
  const parts = [
    DISCONTINUITY,
    calculateAgreement(params.theirIdentityKey, params.ourSignedPreKeyPair.privateKey),
    calculateAgreement(params.theirBaseKey, params.ourIdentityKeyPair.privateKey),
    calculateAgreement(params.theirBaseKey, params.ourSignedPreKeyPair.privateKey),
  ];
  if (params.ourOneTimePreKeyPair !== undefined) {
    parts.push(calculateAgreement(params.theirBaseKey, params.ourOneTimePreKeyPair.privateKey));
  }
  parts.push(kyberDecapsulate(params.ourKyberSecretKey, params.theirKyberCiphertext));
  return deriveInitialKeys(concatBytes(...parts));
}
