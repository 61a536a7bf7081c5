// Converts protocol state (sessions, sender keys, prekeys, identity) to plain JSON-able values and
// back, for IndexedDB or any JSON store: byte arrays become {"$bytes": "<base64>"}.
import { fromBase64, toBase64 } from './bytes.js';
import type { KeyPair } from './curve.js';
import type { KyberPreKeyRecord, PreKeyRecord, SignedPreKeyRecord } from './keys.js';
import type { SenderKeyRecord } from './senderKeys.js';
import type { SessionRecord } from './sessionState.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Bumped if the shape of stored state ever changes, so old records can be migrated. */
export const STATE_FORMAT_VERSION = 1;

const BYTES_TAG = '$bytes';

function encodeValue(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: toBase64(value) };
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(encodeValue);
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
        // Absent optional fields stay absent rather than becoming null.
        if (field !== undefined) out[key] = encodeValue(field);
      }
      return out;
    }
    default:
      throw new TypeError(`cannot serialize a ${typeof value}`);
  }
}

function decodeValue(value: JsonValue): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value === 'object') {
    const tagged = value[BYTES_TAG];
    if (typeof tagged === 'string' && Object.keys(value).length === 1) return fromBase64(tagged);
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = decodeValue(field);
    return out;
  }
  return value;
}

function wrap(kind: string, value: unknown): JsonValue {
  return { kind, version: STATE_FORMAT_VERSION, value: encodeValue(value) };
}

function unwrap<T>(kind: string, json: JsonValue): T {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TypeError(`expected a serialized ${kind}`);
  }
  if (json['kind'] !== kind) throw new TypeError(`expected a serialized ${kind}, got ${String(json['kind'])}`);
  if (json['version'] !== STATE_FORMAT_VERSION) {
    throw new TypeError(`unsupported ${kind} format version ${String(json['version'])}`);
  }
  return decodeValue(json['value'] ?? null) as T;
}

export function sessionRecordToJson(record: SessionRecord): JsonValue {
  return wrap('SessionRecord', record);
}

export function sessionRecordFromJson(json: JsonValue): SessionRecord {
  const record = unwrap<Partial<SessionRecord>>('SessionRecord', json);
  return { current: record.current, previous: record.previous ?? [] };
}

export function senderKeyRecordToJson(record: SenderKeyRecord): JsonValue {
  return wrap('SenderKeyRecord', record);
}

export function senderKeyRecordFromJson(json: JsonValue): SenderKeyRecord {
  const record = unwrap<Partial<SenderKeyRecord>>('SenderKeyRecord', json);
  return { states: record.states ?? [] };
}

export function keyPairToJson(keyPair: KeyPair): JsonValue {
  return wrap('KeyPair', keyPair);
}

export function keyPairFromJson(json: JsonValue): KeyPair {
  return unwrap<KeyPair>('KeyPair', json);
}

export function preKeyRecordToJson(record: PreKeyRecord): JsonValue {
  return wrap('PreKeyRecord', record);
}

export function preKeyRecordFromJson(json: JsonValue): PreKeyRecord {
  return unwrap<PreKeyRecord>('PreKeyRecord', json);
}

export function signedPreKeyRecordToJson(record: SignedPreKeyRecord): JsonValue {
  return wrap('SignedPreKeyRecord', record);
}

export function signedPreKeyRecordFromJson(json: JsonValue): SignedPreKeyRecord {
  return unwrap<SignedPreKeyRecord>('SignedPreKeyRecord', json);
}

export function kyberPreKeyRecordToJson(record: KyberPreKeyRecord): JsonValue {
  return wrap('KyberPreKeyRecord', record);
}

export function kyberPreKeyRecordFromJson(json: JsonValue): KyberPreKeyRecord {
  return unwrap<KyberPreKeyRecord>('KyberPreKeyRecord', json);
}
