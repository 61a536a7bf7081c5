import { describe, expect, it } from 'vitest';
import { SessionBuilder, SessionCipher, utf8, fromUtf8 } from '../src/signal/index.js';
import { createParty } from './parties.js';

describe('quick', () => {
  it('round trips', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle());
    const a2b = new SessionCipher(alice.store, bob.address);
    const b2a = new SessionCipher(bob.store, alice.address);
    const m1 = await a2b.encrypt(utf8('hello'));
    expect(m1.type).toBe(3);
    expect(fromUtf8(await b2a.decrypt(m1.type, m1.serialized))).toBe('hello');
    const r1 = await b2a.encrypt(utf8('hi back'));
    expect(r1.type).toBe(2);
    expect(fromUtf8(await a2b.decrypt(r1.type, r1.serialized))).toBe('hi back');
    const m2 = await a2b.encrypt(utf8('again'));
    expect(m2.type).toBe(2);
    expect(fromUtf8(await b2a.decrypt(m2.type, m2.serialized))).toBe('again');
  });
});
