// Session state for one peer device: the current ratchet state plus archived previous ones, with
// libsignal's bounds (5 receiver chains, 2,000 skipped keys per chain, 40 archived states).
// Plain data with Uint8Array fields; byte arrays are never mutated in place, so clones share them.
import { bytesEqual } from './bytes.js';
import type { KeyPair } from './curve.js';
import type { ChainKey } from './ratchet.js';

export const MAX_FORWARD_JUMPS = 25_000;
export const MAX_MESSAGE_KEYS = 2_000;
export const MAX_RECEIVER_CHAINS = 5;
export const ARCHIVED_STATES_MAX_LENGTH = 40;
/** Unanswered sessions stop being usable for sending after 30 days, as in libsignal. */
export const MAX_UNACKNOWLEDGED_SESSION_AGE_SECONDS = 60 * 60 * 24 * 30;

/** A skipped message's key seed, kept so a late message can still be decrypted once. */
export interface SkippedMessageKey {
  readonly index: number;
  readonly seed: Uint8Array;
}

export interface ReceiverChain {
  readonly senderRatchetKey: Uint8Array;
  chainKey: ChainKey;
  /** Newest first; the oldest is dropped past MAX_MESSAGE_KEYS. */
  messageKeys: SkippedMessageKey[];
}

export interface SenderChain {
  readonly ratchetKeyPair: KeyPair;
  chainKey: ChainKey;
}

/** What the initiator repeats in every PreKeySignalMessage until the responder answers. */
export interface PendingPreKey {
  readonly preKeyId: number | undefined;
  readonly signedPreKeyId: number;
  readonly baseKey: Uint8Array;
  readonly kyberPreKeyId: number;
  readonly kyberCiphertext: Uint8Array;
  readonly createdAtSeconds: number;
}

export interface SessionState {
  readonly version: number;
  readonly localIdentityKey: Uint8Array;
  readonly remoteIdentityKey: Uint8Array;
  rootKey: Uint8Array;
  previousCounter: number;
  senderChain: SenderChain | undefined;
  receiverChains: ReceiverChain[];
  pendingPreKey: PendingPreKey | undefined;
  localRegistrationId: number;
  remoteRegistrationId: number;
  /** The initiator's base key: identifies the session when a PreKeySignalMessage repeats. */
  readonly aliceBaseKey: Uint8Array;
}

export interface SessionRecord {
  current: SessionState | undefined;
  /** Most recently archived first. */
  previous: SessionState[];
}

export function newSessionRecord(): SessionRecord {
  return { current: undefined, previous: [] };
}

export function cloneSessionState(state: SessionState): SessionState {
  return {
    ...state,
    senderChain: state.senderChain && { ...state.senderChain },
    receiverChains: state.receiverChains.map((chain) => ({
      ...chain,
      messageKeys: chain.messageKeys.slice(),
    })),
  };
}

/** Clones the current state; archived states are only ever replaced, never edited, so they are shared. */
export function cloneSessionRecord(record: SessionRecord): SessionRecord {
  return {
    current: record.current && cloneSessionState(record.current),
    previous: record.previous.slice(),
  };
}

export function findReceiverChain(state: SessionState, senderRatchetKey: Uint8Array): ReceiverChain | undefined {
  return state.receiverChains.find((chain) => bytesEqual(chain.senderRatchetKey, senderRatchetKey));
}

export function addReceiverChain(state: SessionState, senderRatchetKey: Uint8Array, chainKey: ChainKey): void {
  state.receiverChains.push({ senderRatchetKey, chainKey, messageKeys: [] });
  if (state.receiverChains.length > MAX_RECEIVER_CHAINS) state.receiverChains.shift();
}

/** Stores a skipped key, newest first, forgetting the oldest beyond the bound. */
export function storeSkippedMessageKey(chain: ReceiverChain, key: SkippedMessageKey): void {
  chain.messageKeys.unshift(key);
  if (chain.messageKeys.length > MAX_MESSAGE_KEYS) chain.messageKeys.pop();
}

/** Removes and returns the skipped key for `counter`, if it is still held. */
export function takeSkippedMessageKey(chain: ReceiverChain, counter: number): SkippedMessageKey | undefined {
  const position = chain.messageKeys.findIndex((key) => key.index === counter);
  if (position < 0) return undefined;
  return chain.messageKeys.splice(position, 1)[0];
}

export function isSessionWithSelf(state: SessionState): boolean {
  return bytesEqual(state.localIdentityKey, state.remoteIdentityKey);
}

/** Archives the current state (without its pending prekey) and makes `state` current. */
export function promoteState(record: SessionRecord, state: SessionState): void {
  if (record.current !== undefined) {
    if (record.previous.length >= ARCHIVED_STATES_MAX_LENGTH) record.previous.pop();
    record.previous.unshift({ ...record.current, pendingPreKey: undefined });
  }
  record.current = state;
}

/** Moves an archived state that just decrypted a message back to current. */
export function promoteOldSession(record: SessionRecord, previousIndex: number, updated: SessionState): void {
  record.previous.splice(previousIndex, 1);
  promoteState(record, updated);
}

/**
 * If a state with this version and initiator base key exists, makes it current and returns true:
 * a repeated PreKeySignalMessage for a session already set up must not set up a second one.
 */
export function promoteMatchingSession(record: SessionRecord, version: number, aliceBaseKey: Uint8Array): boolean {
  const matches = (state: SessionState) =>
    state.version === version && bytesEqual(state.aliceBaseKey, aliceBaseKey);
  if (record.current !== undefined && matches(record.current)) return true;
  const index = record.previous.findIndex(matches);
  if (index < 0) return false;
  promoteOldSession(record, index, record.previous[index]!);
  return true;
}

export function archiveCurrentState(record: SessionRecord): void {
  if (record.current === undefined) return;
  const current = record.current;
  record.current = undefined;
  if (record.previous.length >= ARCHIVED_STATES_MAX_LENGTH) record.previous.pop();
  record.previous.unshift({ ...current, pendingPreKey: undefined });
}

/** Whether messages can be sent now: a sender chain exists and no stale unacknowledged prekey. */
export function hasUsableSenderChain(record: SessionRecord, nowMs: number = Date.now()): boolean {
  const state = record.current;
  if (state?.senderChain === undefined) return false;
  const pending = state.pendingPreKey;
  return (
    pending === undefined ||
    pending.createdAtSeconds + MAX_UNACKNOWLEDGED_SESSION_AGE_SECONDS >= Math.floor(nowMs / 1000)
  );
}
