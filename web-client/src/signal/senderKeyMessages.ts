// The group wire messages: SenderKeyMessage (version byte 0x33, protobuf, 64-byte XEdDSA signature)
// and SenderKeyDistributionMessage (version byte 0x33, protobuf), as libsignal 0.86.5.
import { concatBytes, toHex } from './bytes.js';
import { parsePublicKey } from './curve.js';
import { InvalidMessageError, InvalidVersionError } from './errors.js';
import { decodeProto, encodeProto, requiredBytes, requiredUint32 } from './protobuf.js';
import { SIGNATURE_LENGTH, xeddsaSign, xeddsaVerify } from './xeddsa.js';

export const SENDERKEY_MESSAGE_CURRENT_VERSION = 3;

export interface SenderKeyMessage {
  readonly messageVersion: number;
  /** The distribution (group) id as a lower-case UUID string. */
  readonly distributionId: string;
  readonly chainId: number;
  readonly iteration: number;
  readonly ciphertext: Uint8Array;
  readonly serialized: Uint8Array;
}

export interface SenderKeyDistributionMessage {
  readonly messageVersion: number;
  readonly distributionId: string;
  readonly chainId: number;
  readonly iteration: number;
  readonly chainKey: Uint8Array;
  readonly signingKey: Uint8Array;
  readonly serialized: Uint8Array;
}

export function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.substring(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToUuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new InvalidMessageError('distribution id must be 16 bytes');
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function versionByte(messageVersion: number): number {
  return ((messageVersion & 0xf) << 4) | SENDERKEY_MESSAGE_CURRENT_VERSION;
}

function checkVersion(firstByte: number): number {
  const version = firstByte >> 4;
  if (version < SENDERKEY_MESSAGE_CURRENT_VERSION) {
    throw new InvalidVersionError(`legacy sender key message version ${version}`);
  }
  if (version > SENDERKEY_MESSAGE_CURRENT_VERSION) {
    throw new InvalidVersionError(`unrecognized sender key message version ${version}`);
  }
  return version;
}

function parseDistributionId(fields: Map<number, number | Uint8Array>): string {
  try {
    return bytesToUuid(requiredBytes(fields, 1, 'distribution id'));
  } catch (e) {
    throw new InvalidMessageError(`invalid distribution id: ${(e as Error).message}`);
  }
}

/** Builds and signs a SenderKeyMessage: the signature covers the version byte and protobuf. */
export function createSenderKeyMessage(args: {
  messageVersion: number;
  distributionId: string;
  chainId: number;
  iteration: number;
  ciphertext: Uint8Array;
  signingPrivateKey: Uint8Array;
}): SenderKeyMessage {
  const proto = encodeProto([
    [1, uuidToBytes(args.distributionId)],
    [2, args.chainId],
    [3, args.iteration],
    [4, args.ciphertext],
  ]);
  const body = concatBytes(Uint8Array.of(versionByte(args.messageVersion)), proto);
  const signature = xeddsaSign(args.signingPrivateKey, body);
  return {
    messageVersion: SENDERKEY_MESSAGE_CURRENT_VERSION,
    distributionId: args.distributionId.toLowerCase(),
    chainId: args.chainId,
    iteration: args.iteration,
    ciphertext: args.ciphertext,
    serialized: concatBytes(body, signature),
  };
}

const SENDER_KEY_MESSAGE_SCHEMA = { 1: 'bytes', 2: 'uint32', 3: 'uint32', 4: 'bytes' } as const;

export function parseSenderKeyMessage(serialized: Uint8Array): SenderKeyMessage {
  if (serialized.length < 1 + SIGNATURE_LENGTH) {
    throw new InvalidMessageError(`sender key message too short (${serialized.length} bytes)`);
  }
  const messageVersion = checkVersion(serialized[0]!);
  const fields = decodeProto(
    serialized.subarray(1, serialized.length - SIGNATURE_LENGTH),
    SENDER_KEY_MESSAGE_SCHEMA,
  );
  return {
    messageVersion,
    distributionId: parseDistributionId(fields),
    chainId: requiredUint32(fields, 2, 'chain id'),
    iteration: requiredUint32(fields, 3, 'iteration'),
    ciphertext: requiredBytes(fields, 4, 'ciphertext'),
    serialized: serialized.slice(),
  };
}

export function verifySenderKeyMessageSignature(message: SenderKeyMessage, signingKey: Uint8Array): boolean {
  const { serialized } = message;
  return xeddsaVerify(
    signingKey,
    serialized.subarray(0, serialized.length - SIGNATURE_LENGTH),
    serialized.subarray(serialized.length - SIGNATURE_LENGTH),
  );
}

export function createSenderKeyDistributionMessage(args: {
  messageVersion: number;
  distributionId: string;
  chainId: number;
  iteration: number;
  chainKey: Uint8Array;
  signingKey: Uint8Array;
}): SenderKeyDistributionMessage {
  const proto = encodeProto([
    [1, uuidToBytes(args.distributionId)],
    [2, args.chainId],
    [3, args.iteration],
    [4, args.chainKey],
    [5, args.signingKey],
  ]);
  return {
    ...args,
    distributionId: args.distributionId.toLowerCase(),
    serialized: concatBytes(Uint8Array.of(versionByte(args.messageVersion)), proto),
  };
}

const DISTRIBUTION_MESSAGE_SCHEMA = {
  1: 'bytes',
  2: 'uint32',
  3: 'uint32',
  4: 'bytes',
  5: 'bytes',
} as const;

export function parseSenderKeyDistributionMessage(serialized: Uint8Array): SenderKeyDistributionMessage {
  // At least a version byte, a 32-byte chain key and a 32-byte X25519 key.
  if (serialized.length < 1 + 32 + 32) {
    throw new InvalidMessageError(`distribution message too short (${serialized.length} bytes)`);
  }
  const messageVersion = checkVersion(serialized[0]!);
  const fields = decodeProto(serialized.subarray(1), DISTRIBUTION_MESSAGE_SCHEMA);
  const distributionId = parseDistributionId(fields);
  const chainId = requiredUint32(fields, 2, 'chain id');
  const iteration = requiredUint32(fields, 3, 'iteration');
  const chainKey = requiredBytes(fields, 4, 'chain key');
  const signingKey = requiredBytes(fields, 5, 'signing key');
  if (chainKey.length !== 32 || signingKey.length !== 33) {
    throw new InvalidMessageError('bad chain key or signing key length');
  }
  try {
    parsePublicKey(signingKey);
  } catch (e) {
    throw new InvalidMessageError(`invalid signing key: ${(e as Error).message}`);
  }
  return {
    messageVersion,
    distributionId,
    chainId,
    iteration,
    chainKey,
    signingKey,
    serialized: serialized.slice(),
  };
}
