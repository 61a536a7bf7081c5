// One-to-one sessions between two TypeScript devices: set-up, ordering, libsignal's bounds, and
// every way a bad message, a stale session or a changed identity must be refused.
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../src/signal/bytes.js';
import { parsePreKeySignalMessage } from '../src/signal/messages.js';
import {
  DuplicateMessageError,
  InvalidKeyIdError,
  InvalidMessageError,
  InvalidVersionError,
  NoSessionError,
  ReusedBaseKeyError,
  SignatureError,
  UntrustedIdentityError,
} from '../src/signal/errors.js';
import { nextChainKey } from '../src/signal/ratchet.js';
import { SessionBuilder } from '../src/signal/sessionBuilder.js';
import { SessionCipher, type CiphertextMessage } from '../src/signal/sessionCipher.js';
import { hasUsableSenderChain, MAX_FORWARD_JUMPS, MAX_RECEIVER_CHAINS } from '../src/signal/sessionState.js';
import { createParty, type Party } from './parties.js';

async function connect(alice: Party, bob: Party, options: { withOneTimePreKey?: boolean; lastResort?: boolean } = {}) {
  await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle(options));
  return { a: new SessionCipher(alice.store, bob.address), b: new SessionCipher(bob.store, alice.address) };
}

async function send(cipher: SessionCipher, ...texts: string[]): Promise<CiphertextMessage[]> {
  const out = [];
  for (const text of texts) out.push(await cipher.encrypt(utf8(text)));
  return out;
}

async function read(cipher: SessionCipher, message: CiphertextMessage): Promise<string> {
  return fromUtf8(await cipher.decrypt(message.type, message.serialized));
}

/** Moves the sender chain of `party`'s session with `peer` forward without sending anything. */
async function skipAhead(party: Party, peer: Party, count: number) {
  const record = (await party.store.loadSession(peer.address))!;
  const chain = record.current!.senderChain!;
  for (let i = 0; i < count; i++) chain.chainKey = nextChainKey(chain.chainKey);
}

describe('one-to-one sessions', () => {
  it('sends PreKeySignalMessages until the first reply, then SignalMessages', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { a, b } = await connect(alice, bob, { withOneTimePreKey: false });
    const [m1, m2] = await send(a, 'one', 'two');
    expect([m1!.type, m2!.type]).toEqual([3, 3]);
    expect(await read(b, m2!)).toBe('two');
    expect(await read(b, m1!)).toBe('one');
    const [reply] = await send(b, 'reply');
    expect(reply!.type).toBe(2);
    expect(await read(a, reply!)).toBe('reply');
    expect((await send(a, 'three'))[0]!.type).toBe(2);
  });

  it('deletes the one-time prekeys it used and refuses to reuse them', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { b } = await connect(alice, bob);
    const [first] = await send(new SessionCipher(alice.store, bob.address), 'hello');
    expect(await read(b, first!)).toBe('hello');
    expect(bob.store.preKeys.size).toBe(0);
    expect(bob.store.kyberPreKeys.size).toBe(0);
    bob.store.sessions.clear();
    await expect(read(b, first!)).rejects.toThrow(InvalidKeyIdError);
  });

  it('keeps a last-resort Kyber prekey but refuses the same base key twice', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { a, b } = await connect(alice, bob, { withOneTimePreKey: false, lastResort: true });
    const [first] = await send(a, 'hello');
    expect(await read(b, first!)).toBe('hello');
    expect(bob.store.kyberPreKeys.size).toBe(1);
    bob.store.sessions.clear();
    await expect(read(b, first!)).rejects.toThrow(ReusedBaseKeyError);
  });

  it('decrypts out of order within and across chains, and refuses duplicates', async () => {
    const { a, b } = await connect(createParty('alice'), createParty('bob'));
    const chain1 = await send(a, 'a0', 'a1', 'a2', 'a3');
    expect(await read(b, chain1[3]!)).toBe('a3');
    expect(await read(b, chain1[1]!)).toBe('a1');
    const replies = await send(b, 'b0', 'b1');
    expect(await read(a, replies[1]!)).toBe('b1');
    const chain2 = await send(a, 'a4', 'a5');
    expect(await read(b, chain2[1]!)).toBe('a5');
    expect(await read(b, chain1[0]!)).toBe('a0');
    expect(await read(b, chain2[0]!)).toBe('a4');
    expect(await read(b, chain1[2]!)).toBe('a2');
    expect(await read(a, replies[0]!)).toBe('b0');
    for (const duplicate of [chain1[3]!, chain1[0]!, chain2[1]!]) {
      await expect(read(b, duplicate)).rejects.toThrow(DuplicateMessageError);
    }
    await expect(read(a, replies[1]!)).rejects.toThrow(DuplicateMessageError);
  });

  it('accepts a jump of 25,000 messages and refuses one further', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { a, b } = await connect(alice, bob);
    expect(await read(b, (await send(a, 'start'))[0]!)).toBe('start');
    await skipAhead(alice, bob, MAX_FORWARD_JUMPS);
    expect(await read(b, (await send(a, 'far'))[0]!)).toBe('far');
    await skipAhead(alice, bob, MAX_FORWARD_JUMPS + 1);
    await expect(read(b, (await send(a, 'too far'))[0]!)).rejects.toThrow(InvalidMessageError);
  });

  it('keeps at most 2,000 skipped keys per chain, forgetting the oldest', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { a, b } = await connect(alice, bob);
    const early = await send(a, 'kept?', 'second');
    // 'late' has counter 2,001: receiving it first skips 2,001 keys, one too many to keep.
    await skipAhead(alice, bob, 1_999);
    expect(await read(b, (await send(a, 'late'))[0]!)).toBe('late');
    await expect(read(b, early[0]!)).rejects.toThrow(DuplicateMessageError);
    expect(await read(b, early[1]!)).toBe('second');
  });

  it('keeps five receiver chains: a message from an older chain no longer decrypts', async () => {
    const { a, b } = await connect(createParty('alice'), createParty('bob'));
    const [old] = await send(a, 'from the first chain');
    await read(b, (await send(a, 'hello'))[0]!);
    for (let round = 0; round < MAX_RECEIVER_CHAINS; round++) {
      await read(a, (await send(b, `b${round}`))[0]!);
      await read(b, (await send(a, `a${round}`))[0]!);
    }
    await expect(read(b, old!)).rejects.toThrow(InvalidMessageError);
    await read(b, (await send(a, 'still fine'))[0]!);
  });

  it('rejects forged, truncated and re-versioned messages without damaging the session', async () => {
    const { a, b } = await connect(createParty('alice'), createParty('bob'));
    await read(b, (await send(a, 'hello'))[0]!);
    await read(a, (await send(b, 'welcome'))[0]!);
    const [message] = await send(a, 'genuine');
    const body = message!.serialized;
    const forged = body.slice();
    forged[forged.length - 1]! ^= 1;
    const flippedCiphertext = body.slice();
    flippedCiphertext[body.length - 12]! ^= 1;
    const newVersion = body.slice();
    newVersion[0] = 0x54;
    const oldVersion = body.slice();
    oldVersion[0] = 0x24;
    await expect(b.decrypt(2, forged)).rejects.toThrow(InvalidMessageError);
    await expect(b.decrypt(2, flippedCiphertext)).rejects.toThrow(InvalidMessageError);
    await expect(b.decrypt(2, body.subarray(0, body.length - 3))).rejects.toThrow(InvalidMessageError);
    await expect(b.decrypt(2, body.subarray(0, 5))).rejects.toThrow(InvalidMessageError);
    await expect(b.decrypt(2, newVersion)).rejects.toThrow(InvalidVersionError);
    await expect(b.decrypt(2, oldVersion)).rejects.toThrow(InvalidVersionError);
    await expect(b.decrypt(7, body)).rejects.toThrow(InvalidMessageError);
    expect(await read(b, message!)).toBe('genuine');
  });

  it('still decrypts messages of a previous session after a new one replaced it', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const { a, b } = await connect(alice, bob);
    await read(b, (await send(a, 'hello'))[0]!);
    const [inFlight] = await send(a, 'sent on the old session');
    // Bob starts a second session towards Alice (e.g. after a reinstall on his side).
    await new SessionBuilder(bob.store, alice.address).processPreKeyBundle(alice.bundle());
    expect(await read(b, inFlight!)).toBe('sent on the old session');
    const record = (await bob.store.loadSession(alice.address))!;
    expect(record.previous.length).toBe(1);
  });

  it('refuses to send on an unacknowledged session older than 30 days', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const thirtyOneDaysAgo = Date.now() - 31 * 24 * 3600 * 1000;
    await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle(), thirtyOneDaysAgo);
    expect(hasUsableSenderChain((await alice.store.loadSession(bob.address))!)).toBe(false);
    await expect(new SessionCipher(alice.store, bob.address).encrypt(utf8('late'))).rejects.toThrow(NoSessionError);
  });

  it('refuses a bundle whose signatures do not verify, or from a changed identity', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    const bundle = bob.bundle();
    const badSigned = { ...bundle, signedPreKeySignature: bundle.kyberPreKeySignature };
    const badKyber = { ...bundle, kyberPreKeySignature: bundle.signedPreKeySignature };
    const builder = new SessionBuilder(alice.store, bob.address);
    await expect(builder.processPreKeyBundle(badSigned)).rejects.toThrow(SignatureError);
    await expect(builder.processPreKeyBundle(badKyber)).rejects.toThrow(SignatureError);
    await builder.processPreKeyBundle(bundle);
    const impostor = createParty('bob');
    await expect(builder.processPreKeyBundle(impostor.bundle())).rejects.toThrow(UntrustedIdentityError);
  });

  it('serializes concurrent operations on one peer, so no message key is used twice', async () => {
    const { a, b } = await connect(createParty('alice'), createParty('bob'));
    const texts = Array.from({ length: 40 }, (_, i) => `concurrent ${i}`);
    const messages = await Promise.all(texts.map((text) => a.encrypt(utf8(text))));
    const counters = new Set(messages.map((m) => parsePreKeySignalMessage(m.serialized).message.counter));
    expect(counters.size).toBe(texts.length);
    const plaintexts = await Promise.all(messages.map((m) => read(b, m)));
    expect(plaintexts).toEqual(texts);
  });

  it('refuses messages without a session', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    await expect(new SessionCipher(alice.store, bob.address).encrypt(utf8('x'))).rejects.toThrow(NoSessionError);
    const { a } = await connect(alice, bob);
    await read(new SessionCipher(bob.store, alice.address), (await send(a, 'x'))[0]!);
    const [plain] = await send(new SessionCipher(bob.store, alice.address), 'y');
    await expect(new SessionCipher(createParty('carol').store, bob.address).decrypt(2, plain!.serialized)).rejects.toThrow(
      NoSessionError,
    );
  });
});
