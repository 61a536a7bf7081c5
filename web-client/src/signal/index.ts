// Public API of Parley's Signal protocol library (wire-compatible with libsignal 0.86.5): key
// generation, session set-up and one-to-one messages, sender-key groups, stores, persistence.
export { fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from './bytes.js';
export { generateKeyPair, keyPairFromPrivateKey, type KeyPair } from './curve.js';
export {
  DuplicateMessageError,
  InvalidKeyError,
  InvalidKeyIdError,
  InvalidMessageError,
  InvalidVersionError,
  NoSessionError,
  ReusedBaseKeyError,
  SignalError,
  SignatureError,
  UntrustedIdentityError,
} from './errors.js';
export {
  createSenderKeyDistributionMessageFor,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistributionMessage,
} from './groupCipher.js';
export {
  generateIdentityKeyPair,
  generateKyberPreKey,
  generatePreKey,
  generateRegistrationId,
  generateSignedPreKey,
  preKeyBundleOf,
  type KyberPreKeyRecord,
  type PreKeyBundle,
  type PreKeyRecord,
  type SignedPreKeyRecord,
} from './keys.js';
export type { KyberKeyPair } from './kyber.js';
export { CiphertextMessageType } from './messages.js';
export type { SenderKeyRecord } from './senderKeys.js';
export { SessionBuilder } from './sessionBuilder.js';
export { SessionCipher, type CiphertextMessage } from './sessionCipher.js';
export { archiveCurrentState, hasUsableSenderChain, type SessionRecord } from './sessionState.js';
export {
  keyPairFromJson,
  keyPairToJson,
  kyberPreKeyRecordFromJson,
  kyberPreKeyRecordToJson,
  preKeyRecordFromJson,
  preKeyRecordToJson,
  senderKeyRecordFromJson,
  senderKeyRecordToJson,
  sessionRecordFromJson,
  sessionRecordToJson,
  signedPreKeyRecordFromJson,
  signedPreKeyRecordToJson,
  type JsonValue,
} from './serialization.js';
export {
  addressToString,
  InMemorySignalProtocolStore,
  type Direction,
  type IdentityKeyStore,
  type KyberPreKeyStore,
  type PreKeyStore,
  type ProtocolAddress,
  type SenderKeyStore,
  type SessionStore,
  type SignalProtocolStore,
  type SignedPreKeyStore,
} from './stores.js';
export { xeddsaSign, xeddsaVerify } from './xeddsa.js';
