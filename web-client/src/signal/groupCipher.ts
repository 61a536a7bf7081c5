// Group messaging with sender keys, as libsignal's group_cipher.rs: create and process
// SenderKeyDistributionMessages, encrypt (AES-256-CBC, signed) and decrypt SenderKeyMessages.
import { randomBytes, randomUint32 } from './bytes.js';
import { generateKeyPair } from './curve.js';
import { DuplicateMessageError, InvalidMessageError, InvalidVersionError, NoSessionError, SignatureError } from './errors.js';
import { aes256CbcDecrypt, aes256CbcEncrypt } from './kdf.js';
import { withRecordLock } from './locks.js';
import {
  createSenderKeyDistributionMessage,
  createSenderKeyMessage,
  parseSenderKeyDistributionMessage,
  parseSenderKeyMessage,
  SENDERKEY_MESSAGE_CURRENT_VERSION,
  verifySenderKeyMessageSignature,
  type SenderKeyDistributionMessage,
  type SenderKeyMessage,
} from './senderKeyMessages.js';
import {
  addSenderKeyState,
  cloneSenderKeyRecord,
  deriveSenderMessageKey,
  findSenderKeyState,
  nextSenderChainKey,
  senderMessageKeySeed,
  storeSkippedSenderKey,
  takeSkippedSenderKey,
  type SenderKeyState,
  type SenderMessageKey,
} from './senderKeys.js';
import { MAX_FORWARD_JUMPS } from './sessionState.js';
import { addressToString, type ProtocolAddress, type SenderKeyStore } from './stores.js';

/**
 * Our distribution message for a group, creating our sender key on first use. Send it to each
 * member over the one-to-one sessions before the first group message.
 */
export async function createSenderKeyDistributionMessageFor(
  store: SenderKeyStore,
  self: ProtocolAddress,
  distributionId: string,
): Promise<SenderKeyDistributionMessage> {
  return withRecordLock(store, senderKeyLockKey(self, distributionId), () =>
    createDistributionNow(store, self, distributionId),
  );
}

async function createDistributionNow(
  store: SenderKeyStore,
  self: ProtocolAddress,
  distributionId: string,
): Promise<SenderKeyDistributionMessage> {
  let record = await store.loadSenderKey(self, distributionId);
  if (record === undefined || record.states.length === 0) {
    const signingKey = generateKeyPair();
    record = { states: [] };
    addSenderKeyState(record, {
      messageVersion: SENDERKEY_MESSAGE_CURRENT_VERSION,
      // 31-bit chain ids, as libsignal-protocol-java used them.
      chainId: randomUint32() >>> 1,
      chainKey: { iteration: 0, seed: randomBytes(32) },
      signingKeyPublic: signingKey.publicKey,
      signingKeyPrivate: signingKey.privateKey,
    });
    await store.storeSenderKey(self, distributionId, record);
  }
  const state = record.states[0]!;
  return createSenderKeyDistributionMessage({
    messageVersion: state.messageVersion,
    distributionId,
    chainId: state.chainId,
    iteration: state.chainKey.iteration,
    chainKey: state.chainKey.seed,
    signingKey: state.signingKeyPublic,
  });
}

/** Records a member's sender key from their distribution message. */
export async function processSenderKeyDistributionMessage(
  store: SenderKeyStore,
  sender: ProtocolAddress,
  serialized: Uint8Array,
): Promise<void> {
  const message = parseSenderKeyDistributionMessage(serialized);
  await withRecordLock(store, senderKeyLockKey(sender, message.distributionId), () =>
    processDistributionNow(store, sender, message),
  );
}

async function processDistributionNow(
  store: SenderKeyStore,
  sender: ProtocolAddress,
  message: SenderKeyDistributionMessage,
): Promise<void> {
  const loaded = await store.loadSenderKey(sender, message.distributionId);
  const record = loaded === undefined ? { states: [] } : cloneSenderKeyRecord(loaded);
  addSenderKeyState(record, {
    messageVersion: message.messageVersion,
    chainId: message.chainId,
    chainKey: { iteration: message.iteration, seed: message.chainKey },
    signingKeyPublic: message.signingKey,
    signingKeyPrivate: undefined,
  });
  await store.storeSenderKey(sender, message.distributionId, record);
}

/** Encrypts one group message with our sender key; returns the serialized SenderKeyMessage. */
export async function groupEncrypt(
  store: SenderKeyStore,
  self: ProtocolAddress,
  distributionId: string,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return withRecordLock(store, senderKeyLockKey(self, distributionId), () =>
    groupEncryptNow(store, self, distributionId, plaintext),
  );
}

async function groupEncryptNow(
  store: SenderKeyStore,
  self: ProtocolAddress,
  distributionId: string,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const loaded = await store.loadSenderKey(self, distributionId);
  if (loaded === undefined || loaded.states.length === 0) {
    throw new NoSessionError(`no sender key for distribution ${distributionId}`);
  }
  const record = cloneSenderKeyRecord(loaded);
  const state = record.states[0]!;
  if (state.signingKeyPrivate === undefined) {
    throw new NoSessionError(`sender key for ${distributionId} has no private signing key`);
  }
  const key = deriveSenderMessageKey(senderMessageKeySeed(state.chainKey));
  const message = createSenderKeyMessage({
    messageVersion: state.messageVersion,
    distributionId,
    chainId: state.chainId,
    iteration: key.iteration,
    ciphertext: aes256CbcEncrypt(key.cipherKey, key.iv, plaintext),
    signingPrivateKey: state.signingKeyPrivate,
  });
  state.chainKey = nextSenderChainKey(state.chainKey);
  await store.storeSenderKey(self, distributionId, record);
  return message.serialized;
}

/** Decrypts a member's SenderKeyMessage; the stored state changes only on success. */
export async function groupDecrypt(
  store: SenderKeyStore,
  sender: ProtocolAddress,
  serialized: Uint8Array,
): Promise<Uint8Array> {
  const message = parseSenderKeyMessage(serialized);
  return withRecordLock(store, senderKeyLockKey(sender, message.distributionId), () =>
    groupDecryptNow(store, sender, message),
  );
}

async function groupDecryptNow(
  store: SenderKeyStore,
  sender: ProtocolAddress,
  message: SenderKeyMessage,
): Promise<Uint8Array> {
  const loaded = await store.loadSenderKey(sender, message.distributionId);
  if (loaded === undefined) {
    throw new NoSessionError(`no sender key from ${addressToString(sender)} for ${message.distributionId}`);
  }
  const record = cloneSenderKeyRecord(loaded);
  const state = findSenderKeyState(record, message.chainId);
  if (state === undefined) {
    throw new NoSessionError(`no sender key chain ${message.chainId} for ${message.distributionId}`);
  }
  if (message.messageVersion !== state.messageVersion) {
    throw new InvalidVersionError(`sender key message version ${message.messageVersion}`);
  }
  if (!verifySenderKeyMessageSignature(message, state.signingKeyPublic)) {
    throw new SignatureError('sender key message signature does not verify');
  }
  const key = senderKeyFor(state, message.iteration);
  const plaintext = aes256CbcDecrypt(key.cipherKey, key.iv, message.ciphertext);
  await store.storeSenderKey(sender, message.distributionId, record);
  return plaintext;
}

function senderKeyLockKey(sender: ProtocolAddress, distributionId: string): string {
  return `senderKey:${addressToString(sender)}::${distributionId.toLowerCase()}`;
}

function senderKeyFor(state: SenderKeyState, iteration: number): SenderMessageKey {
  const current = state.chainKey;
  if (current.iteration > iteration) {
    const skipped = takeSkippedSenderKey(state, iteration);
    if (skipped === undefined) {
      throw new DuplicateMessageError(`duplicate group message for iteration ${iteration}`);
    }
    return deriveSenderMessageKey(skipped);
  }
  if (iteration - current.iteration > MAX_FORWARD_JUMPS) {
    throw new InvalidMessageError('group message from too far into the future');
  }
  let chainKey = current;
  while (chainKey.iteration < iteration) {
    storeSkippedSenderKey(state, senderMessageKeySeed(chainKey));
    chainKey = nextSenderChainKey(chainKey);
  }
  state.chainKey = nextSenderChainKey(chainKey);
  return deriveSenderMessageKey(senderMessageKeySeed(chainKey));
}
