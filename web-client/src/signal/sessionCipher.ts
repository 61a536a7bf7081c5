// Encrypts and decrypts one-to-one messages with a stored session, as libsignal's
// session_cipher.rs: every change is made on a copy and stored only once a message decrypted,
// so a forged, truncated or replayed message never damages the session.
import {
  DuplicateMessageError,
  InvalidMessageError,
  InvalidVersionError,
  NoSessionError,
  UntrustedIdentityError,
} from './errors.js';
import { generateKeyPair } from './curve.js';
import { aes256CbcDecrypt, aes256CbcEncrypt } from './kdf.js';
import { withRecordLock } from './locks.js';
import {
  CiphertextMessageType,
  createPreKeySignalMessage,
  createSignalMessage,
  parsePreKeySignalMessage,
  parseSignalMessage,
  verifySignalMessageMac,
  type SignalMessage,
} from './messages.js';
import {
  createChain,
  deriveMessageKeys,
  messageKeysFor,
  messageKeySeed,
  nextChainKey,
  type ChainKey,
  type MessageKeys,
} from './ratchet.js';
import { processPreKeyMessage } from './sessionBuilder.js';
import {
  addReceiverChain,
  cloneSessionRecord,
  cloneSessionState,
  findReceiverChain,
  isSessionWithSelf,
  MAX_FORWARD_JUMPS,
  MAX_UNACKNOWLEDGED_SESSION_AGE_SECONDS,
  newSessionRecord,
  promoteOldSession,
  storeSkippedMessageKey,
  takeSkippedMessageKey,
  type SessionRecord,
  type SessionState,
} from './sessionState.js';
import { addressToString, type ProtocolAddress, type SignalProtocolStore } from './stores.js';

/** An outgoing message: its envelope type (2 = SignalMessage, 3 = PreKeySignalMessage) and bytes. */
export interface CiphertextMessage {
  readonly type: typeof CiphertextMessageType.Whisper | typeof CiphertextMessageType.PreKey;
  readonly serialized: Uint8Array;
}

export class SessionCipher {
  constructor(
    private readonly store: SignalProtocolStore,
    private readonly remoteAddress: ProtocolAddress,
  ) {}

  async encrypt(plaintext: Uint8Array, nowMs: number = Date.now()): Promise<CiphertextMessage> {
    return this.locked(() => this.encryptNow(plaintext, nowMs));
  }

  async decryptPreKeySignalMessage(serialized: Uint8Array): Promise<Uint8Array> {
    return this.locked(() => this.decryptPreKeyNow(serialized));
  }

  async decryptSignalMessage(serialized: Uint8Array): Promise<Uint8Array> {
    return this.locked(() => this.decryptSignalNow(serialized));
  }

  /** Decrypts by envelope type: 3 for a PreKeySignalMessage, 2 for a SignalMessage. */
  async decrypt(type: number, serialized: Uint8Array): Promise<Uint8Array> {
    if (type === CiphertextMessageType.PreKey) return this.decryptPreKeySignalMessage(serialized);
    if (type === CiphertextMessageType.Whisper) return this.decryptSignalMessage(serialized);
    throw new InvalidMessageError(`cannot decrypt message type ${type} with a session`);
  }

  private locked<T>(operation: () => Promise<T>): Promise<T> {
    return withRecordLock(this.store, sessionLockKey(this.remoteAddress), operation);
  }

  private async encryptNow(plaintext: Uint8Array, nowMs: number): Promise<CiphertextMessage> {
    const { store, remoteAddress } = this;
    const loaded = await store.loadSession(remoteAddress);
    if (loaded?.current === undefined) throw new NoSessionError(`no session for ${addressToString(remoteAddress)}`);
    const record = cloneSessionRecord(loaded);
    const state = record.current!;
    const message = encryptWithState(state, plaintext, nowMs, remoteAddress);

    if (!(await store.isTrustedIdentity(remoteAddress, state.remoteIdentityKey, 'sending'))) {
      throw new UntrustedIdentityError(addressToString(remoteAddress), state.remoteIdentityKey);
    }
    await store.saveIdentity(remoteAddress, state.remoteIdentityKey);
    await store.storeSession(remoteAddress, record);
    return message;
  }

  private async decryptPreKeyNow(serialized: Uint8Array): Promise<Uint8Array> {
    const { store, remoteAddress } = this;
    const message = parsePreKeySignalMessage(serialized);
    const loaded = await store.loadSession(remoteAddress);
    const record = loaded === undefined ? newSessionRecord() : cloneSessionRecord(loaded);
    const used = await processPreKeyMessage(store, remoteAddress, record, message);
    const plaintext = decryptWithRecord(record, message.message, CiphertextMessageType.PreKey);

    await store.saveIdentity(remoteAddress, message.identityKey);
    if (used !== undefined) {
      await store.markKyberPreKeyUsed(used.kyberPreKeyId, used.signedPreKeyId, message.baseKey);
      if (used.oneTimePreKeyId !== undefined) await store.removePreKey(used.oneTimePreKeyId);
    }
    await store.storeSession(remoteAddress, record);
    return plaintext;
  }

  private async decryptSignalNow(serialized: Uint8Array): Promise<Uint8Array> {
    const { store, remoteAddress } = this;
    const message = parseSignalMessage(serialized);
    const loaded = await store.loadSession(remoteAddress);
    if (loaded === undefined) throw new NoSessionError(`no session for ${addressToString(remoteAddress)}`);
    const record = cloneSessionRecord(loaded);
    const plaintext = decryptWithRecord(record, message, CiphertextMessageType.Whisper);

    const theirIdentityKey = record.current!.remoteIdentityKey;
    if (!(await store.isTrustedIdentity(remoteAddress, theirIdentityKey, 'receiving'))) {
      throw new UntrustedIdentityError(addressToString(remoteAddress), theirIdentityKey);
    }
    await store.saveIdentity(remoteAddress, theirIdentityKey);
    await store.storeSession(remoteAddress, record);
    return plaintext;
  }
}

/** One queue per peer device and store: see locks.ts. */
export function sessionLockKey(address: ProtocolAddress): string {
  return `session:${addressToString(address)}`;
}

function encryptWithState(
  state: SessionState,
  plaintext: Uint8Array,
  nowMs: number,
  remoteAddress: ProtocolAddress,
): CiphertextMessage {
  const senderChain = state.senderChain;
  if (senderChain === undefined) throw new NoSessionError('session has no sender chain');
  const chainKey = senderChain.chainKey;
  const keys = messageKeysFor(chainKey);
  const signalMessage = createSignalMessage({
    messageVersion: state.version,
    macKey: keys.macKey,
    senderRatchetKey: senderChain.ratchetKeyPair.publicKey,
    counter: chainKey.index,
    previousCounter: state.previousCounter,
    ciphertext: aes256CbcEncrypt(keys.cipherKey, keys.iv, plaintext),
    senderIdentityKey: state.localIdentityKey,
    receiverIdentityKey: state.remoteIdentityKey,
  });

  let result: CiphertextMessage;
  const pending = state.pendingPreKey;
  if (pending !== undefined) {
    if (pending.createdAtSeconds + MAX_UNACKNOWLEDGED_SESSION_AGE_SECONDS < Math.floor(nowMs / 1000)) {
      throw new NoSessionError(`stale unacknowledged session for ${addressToString(remoteAddress)}`);
    }
    const preKeyMessage = createPreKeySignalMessage({
      messageVersion: state.version,
      registrationId: state.localRegistrationId,
      preKeyId: pending.preKeyId,
      signedPreKeyId: pending.signedPreKeyId,
      kyberPreKeyId: pending.kyberPreKeyId,
      kyberCiphertext: pending.kyberCiphertext,
      baseKey: pending.baseKey,
      identityKey: state.localIdentityKey,
      message: signalMessage,
    });
    result = { type: CiphertextMessageType.PreKey, serialized: preKeyMessage.serialized };
  } else {
    result = { type: CiphertextMessageType.Whisper, serialized: signalMessage.serialized };
  }
  senderChain.chainKey = nextChainKey(chainKey);
  return result;
}

/**
 * Tries the current state, then each archived state (promoting the one that works). A duplicate
 * stops the search at once; a PreKeySignalMessage only ever uses the state it just set up.
 */
function decryptWithRecord(record: SessionRecord, message: SignalMessage, type: number): Uint8Array {
  const failures: string[] = [];
  if (record.current !== undefined) {
    const state = cloneSessionState(record.current);
    try {
      const plaintext = decryptWithState(state, message);
      record.current = state;
      return plaintext;
    } catch (e) {
      if (e instanceof DuplicateMessageError) throw e;
      if (type === CiphertextMessageType.PreKey) throw new InvalidMessageError(`decryption failed: ${(e as Error).message}`);
      failures.push((e as Error).message);
    }
  }
  for (let index = 0; index < record.previous.length; index++) {
    const state = cloneSessionState(record.previous[index]!);
    try {
      const plaintext = decryptWithState(state, message);
      promoteOldSession(record, index, state);
      return plaintext;
    } catch (e) {
      if (e instanceof DuplicateMessageError) throw e;
      failures.push((e as Error).message);
    }
  }
  throw new InvalidMessageError(
    failures.length === 0 ? 'no session available to decrypt' : `decryption failed: ${failures.join('; ')}`,
  );
}

function decryptWithState(state: SessionState, message: SignalMessage): Uint8Array {
  if (message.messageVersion !== state.version) {
    throw new InvalidVersionError(`message version ${message.messageVersion}, session version ${state.version}`);
  }
  const chainKey = getOrCreateReceiverChainKey(state, message.senderRatchetKey);
  const keys = getOrCreateMessageKeys(state, message.senderRatchetKey, chainKey, message.counter);
  if (!verifySignalMessageMac(message, state.remoteIdentityKey, state.localIdentityKey, keys.macKey)) {
    throw new InvalidMessageError('MAC verification failed');
  }
  const plaintext = aes256CbcDecrypt(keys.cipherKey, keys.iv, message.ciphertext);
  // The peer has answered: stop repeating the PreKeySignalMessage header.
  state.pendingPreKey = undefined;
  return plaintext;
}

/** The receiving chain for their ratchet key; a new key means a DH ratchet step on both chains. */
function getOrCreateReceiverChainKey(state: SessionState, theirRatchetKey: Uint8Array): ChainKey {
  const existing = findReceiverChain(state, theirRatchetKey);
  if (existing !== undefined) return existing.chainKey;
  const senderChain = state.senderChain;
  if (senderChain === undefined) throw new InvalidMessageError('session has no sender chain');

  const receiving = createChain(state.rootKey, theirRatchetKey, senderChain.ratchetKeyPair.privateKey);
  const ourNewRatchetKeyPair = generateKeyPair();
  const sending = createChain(receiving.rootKey, theirRatchetKey, ourNewRatchetKeyPair.privateKey);
  state.rootKey = sending.rootKey;
  addReceiverChain(state, theirRatchetKey, receiving.chainKey);
  state.previousCounter = Math.max(senderChain.chainKey.index - 1, 0);
  state.senderChain = { ratchetKeyPair: ourNewRatchetKeyPair, chainKey: sending.chainKey };
  return receiving.chainKey;
}

/** Keys for `counter`: a stored skipped key, or the chain advanced to it (keeping the skipped ones). */
function getOrCreateMessageKeys(
  state: SessionState,
  theirRatchetKey: Uint8Array,
  chainKey: ChainKey,
  counter: number,
): MessageKeys {
  const chain = findReceiverChain(state, theirRatchetKey)!;
  if (chainKey.index > counter) {
    const skipped = takeSkippedMessageKey(chain, counter);
    if (skipped === undefined) {
      throw new DuplicateMessageError(`duplicate message for counter ${counter} (chain at ${chainKey.index})`);
    }
    return deriveMessageKeys(skipped.seed, skipped.index);
  }
  const jump = counter - chainKey.index;
  if (jump > MAX_FORWARD_JUMPS && !isSessionWithSelf(state)) {
    throw new InvalidMessageError(`message from too far into the future (${jump} ahead)`);
  }
  let current = chainKey;
  while (current.index < counter) {
    storeSkippedMessageKey(chain, { index: current.index, seed: messageKeySeed(current) });
    current = nextChainKey(current);
  }
  chain.chainKey = nextChainKey(current);
  return messageKeysFor(current);
}
