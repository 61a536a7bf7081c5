// Long-term and prekey material a device generates and publishes: identity key pair, registration
// id, one-time EC prekeys, the signed prekey, Kyber prekeys, and the bundle a peer fetches.
import { randomUint32 } from './bytes.js';
import { generateKeyPair, type KeyPair } from './curve.js';
import { generateKyberKeyPair, type KyberKeyPair } from './kyber.js';
import { xeddsaSign } from './xeddsa.js';

export interface PreKeyRecord {
  readonly id: number;
  readonly keyPair: KeyPair;
}

export interface SignedPreKeyRecord {
  readonly id: number;
  readonly timestamp: number;
  readonly keyPair: KeyPair;
  /** XEdDSA by the identity key over the serialized (33-byte) public key. */
  readonly signature: Uint8Array;
}

export interface KyberPreKeyRecord {
  readonly id: number;
  readonly timestamp: number;
  readonly keyPair: KyberKeyPair;
  /** XEdDSA by the identity key over the serialized (1569-byte) public key. */
  readonly signature: Uint8Array;
  /** A last-resort key stays after use; a one-time key is deleted once used. */
  readonly lastResort: boolean;
}

/** What the server hands out for one device of a peer; the one-time EC prekey is optional. */
export interface PreKeyBundle {
  readonly registrationId: number;
  readonly deviceId: number;
  readonly preKeyId?: number;
  readonly preKey?: Uint8Array;
  readonly signedPreKeyId: number;
  readonly signedPreKey: Uint8Array;
  readonly signedPreKeySignature: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly kyberPreKeyId: number;
  readonly kyberPreKey: Uint8Array;
  readonly kyberPreKeySignature: Uint8Array;
}

export function generateIdentityKeyPair(): KeyPair {
  return generateKeyPair();
}

/** A 14-bit registration id (1..16380), the range Signal's clients use. */
export function generateRegistrationId(): number {
  return (randomUint32() % 16380) + 1;
}

export function generatePreKey(id: number): PreKeyRecord {
  return { id, keyPair: generateKeyPair() };
}

export function generateSignedPreKey(
  identityKeyPair: KeyPair,
  id: number,
  timestamp: number = Date.now(),
): SignedPreKeyRecord {
  const keyPair = generateKeyPair();
  return { id, timestamp, keyPair, signature: xeddsaSign(identityKeyPair.privateKey, keyPair.publicKey) };
}

export function generateKyberPreKey(
  identityKeyPair: KeyPair,
  id: number,
  options: { lastResort?: boolean; timestamp?: number } = {},
): KyberPreKeyRecord {
  const keyPair = generateKyberKeyPair();
  return {
    id,
    timestamp: options.timestamp ?? Date.now(),
    keyPair,
    signature: xeddsaSign(identityKeyPair.privateKey, keyPair.publicKey),
    lastResort: options.lastResort ?? false,
  };
}

/** The bundle a peer would receive for these records, as the server assembles it from uploads. */
export function preKeyBundleOf(device: {
  registrationId: number;
  deviceId: number;
  identityKey: Uint8Array;
  preKey?: PreKeyRecord;
  signedPreKey: SignedPreKeyRecord;
  kyberPreKey: KyberPreKeyRecord;
}): PreKeyBundle {
  return {
    registrationId: device.registrationId,
    deviceId: device.deviceId,
    ...(device.preKey === undefined ? {} : { preKeyId: device.preKey.id, preKey: device.preKey.keyPair.publicKey }),
    signedPreKeyId: device.signedPreKey.id,
    signedPreKey: device.signedPreKey.keyPair.publicKey,
    signedPreKeySignature: device.signedPreKey.signature,
    identityKey: device.identityKey,
    kyberPreKeyId: device.kyberPreKey.id,
    kyberPreKey: device.kyberPreKey.keyPair.publicKey,
    kyberPreKeySignature: device.kyberPreKey.signature,
  };
}
