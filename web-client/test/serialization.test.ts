// Persistence: protocol state survives a round trip through JSON text and keeps working.
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../src/signal/bytes.js';
import { groupDecrypt, groupEncrypt, createSenderKeyDistributionMessageFor, processSenderKeyDistributionMessage } from '../src/signal/groupCipher.js';
import {
  keyPairFromJson,
  keyPairToJson,
  kyberPreKeyRecordFromJson,
  kyberPreKeyRecordToJson,
  senderKeyRecordFromJson,
  senderKeyRecordToJson,
  sessionRecordFromJson,
  sessionRecordToJson,
} from '../src/signal/serialization.js';
import { SessionBuilder } from '../src/signal/sessionBuilder.js';
import { SessionCipher } from '../src/signal/sessionCipher.js';
import { createParty } from './parties.js';

const throughText = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('JSON serialization', () => {
  it('round-trips a session mid-conversation, skipped keys and pending prekey included', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle());
    const a = new SessionCipher(alice.store, bob.address);
    const b = new SessionCipher(bob.store, alice.address);
    const [m0, m1, m2] = [await a.encrypt(utf8('0')), await a.encrypt(utf8('1')), await a.encrypt(utf8('2'))];
    await b.decrypt(m2!.type, m2!.serialized);

    for (const [store, peer] of [
      [alice.store, bob.address],
      [bob.store, alice.address],
    ] as const) {
      const record = (await store.loadSession(peer))!;
      const restored = sessionRecordFromJson(throughText(sessionRecordToJson(record)));
      expect(restored).toEqual(record);
      await store.storeSession(peer, restored);
    }
    expect(fromUtf8(await b.decrypt(m0!.type, m0!.serialized))).toBe('0');
    expect(fromUtf8(await b.decrypt(m1!.type, m1!.serialized))).toBe('1');
    const reply = await b.encrypt(utf8('reply'));
    expect(fromUtf8(await a.decrypt(reply.type, reply.serialized))).toBe('reply');
  });

  it('round-trips keys and sender-key records', async () => {
    const party = createParty('p');
    expect(keyPairFromJson(throughText(keyPairToJson(party.store.identityKeyPair)))).toEqual(party.store.identityKeyPair);
    party.bundle();
    const kyber = [...party.store.kyberPreKeys.values()][0]!;
    expect(kyberPreKeyRecordFromJson(throughText(kyberPreKeyRecordToJson(kyber)))).toEqual(kyber);

    const member = createParty('member');
    const group = '0f0e0d0c-0b0a-0908-0706-050403020100';
    const skdm = await createSenderKeyDistributionMessageFor(party.store, party.address, group);
    await processSenderKeyDistributionMessage(member.store, party.address, skdm.serialized);
    const first = await groupEncrypt(party.store, party.address, group, utf8('a'));
    const second = await groupEncrypt(party.store, party.address, group, utf8('b'));
    await groupDecrypt(member.store, party.address, second);
    const record = (await member.store.loadSenderKey(party.address, group))!;
    const restored = senderKeyRecordFromJson(throughText(senderKeyRecordToJson(record)));
    expect(restored).toEqual(record);
    await member.store.storeSenderKey(party.address, group, restored);
    expect(fromUtf8(await groupDecrypt(member.store, party.address, first))).toBe('a');
  });

  it('refuses a record of another kind or format version', () => {
    const json = keyPairToJson(createParty('x').store.identityKeyPair) as Record<string, unknown>;
    expect(() => sessionRecordFromJson(json as never)).toThrow(TypeError);
    expect(() => keyPairFromJson({ ...json, version: 99 } as never)).toThrow(TypeError);
  });
});
