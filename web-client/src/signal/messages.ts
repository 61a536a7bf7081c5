// The one-to-one wire messages: SignalMessage (version byte, protobuf, 8-byte truncated MAC) and
// PreKeySignalMessage (version byte, protobuf wrapping a SignalMessage), as libsignal 0.86.5.
import { concatBytes, constantTimeEqual } from './bytes.js';
import { parsePublicKey } from './curve.js';
import { InvalidMessageError, InvalidVersionError } from './errors.js';
import { hmacSha256Parts } from './kdf.js';
import {
  decodeProto,
  encodeProto,
  optionalBytes,
  optionalUint32,
  requiredBytes,
  requiredUint32,
} from './protobuf.js';

/** PQXDH sessions (libsignal ≥ 0.75); the high and low nibbles of the first byte, hence 0x44. */
export const CIPHERTEXT_MESSAGE_CURRENT_VERSION = 4;
/** X3DH sessions: still parsed, to give a clear error, but never accepted for new sessions. */
export const CIPHERTEXT_MESSAGE_PRE_KYBER_VERSION = 3;
export const MAC_LENGTH = 8;

/** The envelope types libsignal's CiphertextMessage reports; the app carries them next to the bytes. */
export const CiphertextMessageType = {
  Whisper: 2,
  PreKey: 3,
  SenderKey: 7,
  Plaintext: 8,
} as const;
export type CiphertextMessageType = (typeof CiphertextMessageType)[keyof typeof CiphertextMessageType];

export interface SignalMessage {
  readonly messageVersion: number;
  readonly senderRatchetKey: Uint8Array;
  readonly counter: number;
  readonly previousCounter: number;
  readonly ciphertext: Uint8Array;
  /** SPQR payload; this client never sends one, and ignores a peer's (see docs/signal-ts.md). */
  readonly pqRatchet: Uint8Array;
  readonly serialized: Uint8Array;
}

export interface PreKeySignalMessage {
  readonly messageVersion: number;
  readonly registrationId: number;
  readonly preKeyId: number | undefined;
  readonly signedPreKeyId: number;
  readonly kyberPreKeyId: number | undefined;
  readonly kyberCiphertext: Uint8Array | undefined;
  readonly baseKey: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly message: SignalMessage;
  readonly serialized: Uint8Array;
}

function versionByte(messageVersion: number): number {
  return ((messageVersion & 0xf) << 4) | CIPHERTEXT_MESSAGE_CURRENT_VERSION;
}

function checkVersion(firstByte: number): number {
  const version = firstByte >> 4;
  if (version < CIPHERTEXT_MESSAGE_PRE_KYBER_VERSION) {
    throw new InvalidVersionError(`legacy ciphertext version ${version}`);
  }
  if (version > CIPHERTEXT_MESSAGE_CURRENT_VERSION) {
    throw new InvalidVersionError(`unrecognized ciphertext version ${version}`);
  }
  return version;
}

/** HMAC-SHA256(macKey, senderIdentity ‖ receiverIdentity ‖ versioned protobuf), first 8 bytes. */
function computeMac(
  senderIdentityKey: Uint8Array,
  receiverIdentityKey: Uint8Array,
  macKey: Uint8Array,
  body: Uint8Array,
): Uint8Array {
  if (macKey.length !== 32) throw new InvalidMessageError(`invalid MAC key length ${macKey.length}`);
  return hmacSha256Parts(macKey, senderIdentityKey, receiverIdentityKey, body).subarray(0, MAC_LENGTH);
}

export function createSignalMessage(args: {
  messageVersion: number;
  macKey: Uint8Array;
  senderRatchetKey: Uint8Array;
  counter: number;
  previousCounter: number;
  ciphertext: Uint8Array;
  senderIdentityKey: Uint8Array;
  receiverIdentityKey: Uint8Array;
}): SignalMessage {
  const proto = encodeProto([
    [1, args.senderRatchetKey],
    [2, args.counter],
    [3, args.previousCounter],
    [4, args.ciphertext],
  ]);
  const body = concatBytes(Uint8Array.of(versionByte(args.messageVersion)), proto);
  const mac = computeMac(args.senderIdentityKey, args.receiverIdentityKey, args.macKey, body);
  return {
    messageVersion: args.messageVersion,
    senderRatchetKey: args.senderRatchetKey,
    counter: args.counter,
    previousCounter: args.previousCounter,
    ciphertext: args.ciphertext,
    pqRatchet: new Uint8Array(0),
    serialized: concatBytes(body, mac),
  };
}

const SIGNAL_MESSAGE_SCHEMA = { 1: 'bytes', 2: 'uint32', 3: 'uint32', 4: 'bytes', 5: 'bytes' } as const;

export function parseSignalMessage(serialized: Uint8Array): SignalMessage {
  if (serialized.length < MAC_LENGTH + 1) {
    throw new InvalidMessageError(`ciphertext message too short (${serialized.length} bytes)`);
  }
  const messageVersion = checkVersion(serialized[0]!);
  const fields = decodeProto(serialized.subarray(1, serialized.length - MAC_LENGTH), SIGNAL_MESSAGE_SCHEMA);
  let senderRatchetKey: Uint8Array;
  try {
    senderRatchetKey = parsePublicKey(requiredBytes(fields, 1, 'ratchet key'));
  } catch (e) {
    throw new InvalidMessageError(`invalid ratchet key: ${(e as Error).message}`);
  }
  return {
    messageVersion,
    senderRatchetKey,
    counter: requiredUint32(fields, 2, 'counter'),
    previousCounter: optionalUint32(fields, 3) ?? 0,
    ciphertext: requiredBytes(fields, 4, 'ciphertext'),
    pqRatchet: optionalBytes(fields, 5) ?? new Uint8Array(0),
    serialized: serialized.slice(),
  };
}

export function verifySignalMessageMac(
  message: SignalMessage,
  senderIdentityKey: Uint8Array,
  receiverIdentityKey: Uint8Array,
  macKey: Uint8Array,
): boolean {
  const { serialized } = message;
  const ours = computeMac(
    senderIdentityKey,
    receiverIdentityKey,
    macKey,
    serialized.subarray(0, serialized.length - MAC_LENGTH),
  );
  return constantTimeEqual(ours, serialized.subarray(serialized.length - MAC_LENGTH));
}

export function createPreKeySignalMessage(args: {
  messageVersion: number;
  registrationId: number;
  preKeyId: number | undefined;
  signedPreKeyId: number;
  kyberPreKeyId: number;
  kyberCiphertext: Uint8Array;
  baseKey: Uint8Array;
  identityKey: Uint8Array;
  message: SignalMessage;
}): PreKeySignalMessage {
  // Tag order, as prost writes it (the .proto declares them in another order).
  const proto = encodeProto([
    [1, args.preKeyId],
    [2, args.baseKey],
    [3, args.identityKey],
    [4, args.message.serialized],
    [5, args.registrationId],
    [6, args.signedPreKeyId],
    [7, args.kyberPreKeyId],
    [8, args.kyberCiphertext],
  ]);
  return {
    ...args,
    serialized: concatBytes(Uint8Array.of(versionByte(args.messageVersion)), proto),
  };
}

const PRE_KEY_MESSAGE_SCHEMA = {
  1: 'uint32',
  2: 'bytes',
  3: 'bytes',
  4: 'bytes',
  5: 'uint32',
  6: 'uint32',
  7: 'uint32',
  8: 'bytes',
} as const;

export function parsePreKeySignalMessage(serialized: Uint8Array): PreKeySignalMessage {
  if (serialized.length === 0) throw new InvalidMessageError('ciphertext message too short (0 bytes)');
  const messageVersion = checkVersion(serialized[0]!);
  const fields = decodeProto(serialized.subarray(1), PRE_KEY_MESSAGE_SCHEMA);
  const baseKeyBytes = requiredBytes(fields, 2, 'base key');
  const identityKeyBytes = requiredBytes(fields, 3, 'identity key');
  const inner = requiredBytes(fields, 4, 'message');
  const signedPreKeyId = requiredUint32(fields, 6, 'signed prekey id');
  const kyberPreKeyId = optionalUint32(fields, 7);
  const kyberCiphertext = optionalBytes(fields, 8);
  if ((kyberPreKeyId === undefined) !== (kyberCiphertext === undefined)) {
    throw new InvalidMessageError('both or neither Kyber prekey id and Kyber ciphertext must be present');
  }
  if (kyberPreKeyId === undefined && messageVersion > CIPHERTEXT_MESSAGE_PRE_KYBER_VERSION) {
    throw new InvalidMessageError('Kyber prekey must be present for this session version');
  }
  let baseKey: Uint8Array;
  let identityKey: Uint8Array;
  try {
    baseKey = parsePublicKey(baseKeyBytes);
    identityKey = parsePublicKey(identityKeyBytes);
  } catch (e) {
    throw new InvalidMessageError(`invalid key in prekey message: ${(e as Error).message}`);
  }
  return {
    messageVersion,
    registrationId: optionalUint32(fields, 5) ?? 0,
    preKeyId: optionalUint32(fields, 1),
    signedPreKeyId,
    kyberPreKeyId,
    kyberCiphertext,
    baseKey,
    identityKey,
    message: parseSignalMessage(inner),
    serialized: serialized.slice(),
  };
}
