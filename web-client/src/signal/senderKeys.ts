// Sender-key state for groups: one hash chain per (sender, distribution id), its signing key,
// and skipped message keys; libsignal's sender_keys.rs bounds (5 states, 2,000 skipped keys).
import { bytesEqual, utf8 } from './bytes.js';
import { hkdfSha256, hmacSha256 } from './kdf.js';
import { MAX_MESSAGE_KEYS } from './sessionState.js';

export const MAX_SENDER_KEY_STATES = 5;

const GROUP_INFO = utf8('WhisperGroup');
const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);

export interface SenderChainKey {
  readonly iteration: number;
  readonly seed: Uint8Array;
}

export interface SenderMessageKey {
  readonly iteration: number;
  readonly iv: Uint8Array;
  readonly cipherKey: Uint8Array;
}

export interface SenderKeyState {
  readonly messageVersion: number;
  readonly chainId: number;
  chainKey: SenderChainKey;
  readonly signingKeyPublic: Uint8Array;
  /** Present only for our own sending state. */
  readonly signingKeyPrivate: Uint8Array | undefined;
  /** Seeds of skipped message keys, oldest first. */
  messageKeys: SenderChainKey[];
}

export interface SenderKeyRecord {
  /** Most recent first. */
  states: SenderKeyState[];
}

export function nextSenderChainKey(chainKey: SenderChainKey): SenderChainKey {
  if (chainKey.iteration >= 0xffffffff) throw new Error('sender chain is too long');
  return { iteration: chainKey.iteration + 1, seed: hmacSha256(chainKey.seed, CHAIN_KEY_SEED) };
}

/** The seed for this iteration's message key (stored as is for skipped messages). */
export function senderMessageKeySeed(chainKey: SenderChainKey): SenderChainKey {
  return { iteration: chainKey.iteration, seed: hmacSha256(chainKey.seed, MESSAGE_KEY_SEED) };
}

/** HKDF(seed, "WhisperGroup") → 16-byte IV then 32-byte AES key (note the order). */
export function deriveSenderMessageKey(messageSeed: SenderChainKey): SenderMessageKey {
  const okm = hkdfSha256(messageSeed.seed, undefined, GROUP_INFO, 48);
  return { iteration: messageSeed.iteration, iv: okm.slice(0, 16), cipherKey: okm.slice(16, 48) };
}

export function cloneSenderKeyRecord(record: SenderKeyRecord): SenderKeyRecord {
  return { states: record.states.map((state) => ({ ...state, messageKeys: state.messageKeys.slice() })) };
}

export function findSenderKeyState(record: SenderKeyRecord, chainId: number): SenderKeyState | undefined {
  return record.states.find((state) => state.chainId === chainId);
}

/**
 * Adds a state as the most recent one. A state with the same chain id and signing key is kept
 * (with its progress) rather than reset; one with the same chain id but another key is dropped.
 */
export function addSenderKeyState(record: SenderKeyRecord, state: Omit<SenderKeyState, 'messageKeys'>): void {
  const existingIndex = record.states.findIndex(
    (s) => s.chainId === state.chainId && bytesEqual(s.signingKeyPublic, state.signingKeyPublic),
  );
  const existing = existingIndex >= 0 ? record.states.splice(existingIndex, 1)[0] : undefined;
  record.states = record.states.filter((s) => s.chainId !== state.chainId);
  while (record.states.length >= MAX_SENDER_KEY_STATES) record.states.pop();
  record.states.unshift(existing ?? { ...state, messageKeys: [] });
}

export function storeSkippedSenderKey(state: SenderKeyState, messageSeed: SenderChainKey): void {
  state.messageKeys.push(messageSeed);
  while (state.messageKeys.length > MAX_MESSAGE_KEYS) state.messageKeys.shift();
}

export function takeSkippedSenderKey(state: SenderKeyState, iteration: number): SenderChainKey | undefined {
  const position = state.messageKeys.findIndex((key) => key.iteration === iteration);
  if (position < 0) return undefined;
  return state.messageKeys.splice(position, 1)[0];
}
