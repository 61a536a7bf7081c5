// Saves an in-memory store as JSON text and rebuilds it, through the library's serialization API,
// so interop runs also prove that persisted state (as the app keeps it in IndexedDB) still works.
import {
  fromBase64,
  InMemorySignalProtocolStore,
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
  toBase64,
  type JsonValue,
} from '../src/signal/index.js';

type Entries = [string, JsonValue][];

export function saveStore(store: InMemorySignalProtocolStore): string {
  const snapshot = {
    identityKeyPair: keyPairToJson(store.identityKeyPair),
    registrationId: store.registrationId,
    identities: [...store.identities].map(([k, v]) => [k, toBase64(v)]),
    sessions: [...store.sessions].map(([k, v]) => [k, sessionRecordToJson(v)]),
    preKeys: [...store.preKeys.values()].map(preKeyRecordToJson),
    signedPreKeys: [...store.signedPreKeys.values()].map(signedPreKeyRecordToJson),
    kyberPreKeys: [...store.kyberPreKeys.values()].map(kyberPreKeyRecordToJson),
    usedLastResortBaseKeys: [...store.usedLastResortBaseKeys].map(([k, v]) => [k, v.map(toBase64)]),
    senderKeys: [...store.senderKeys].map(([k, v]) => [k, senderKeyRecordToJson(v)]),
  };
  return JSON.stringify(snapshot);
}

export function loadStore(text: string): InMemorySignalProtocolStore {
  const snapshot = JSON.parse(text);
  const store = new InMemorySignalProtocolStore(keyPairFromJson(snapshot.identityKeyPair), snapshot.registrationId);
  for (const [k, v] of snapshot.identities as [string, string][]) store.identities.set(k, fromBase64(v));
  for (const [k, v] of snapshot.sessions as Entries) store.sessions.set(k, sessionRecordFromJson(v));
  for (const v of snapshot.preKeys as JsonValue[]) {
    const record = preKeyRecordFromJson(v);
    store.preKeys.set(record.id, record);
  }
  for (const v of snapshot.signedPreKeys as JsonValue[]) {
    const record = signedPreKeyRecordFromJson(v);
    store.signedPreKeys.set(record.id, record);
  }
  for (const v of snapshot.kyberPreKeys as JsonValue[]) {
    const record = kyberPreKeyRecordFromJson(v);
    store.kyberPreKeys.set(record.id, record);
  }
  for (const [k, v] of snapshot.usedLastResortBaseKeys as [number, string[]][]) {
    store.usedLastResortBaseKeys.set(k, v.map(fromBase64));
  }
  for (const [k, v] of snapshot.senderKeys as Entries) store.senderKeys.set(k, senderKeyRecordFromJson(v));
  return store;
}
