// Mutated input: every corrupted message must fail with one of the library's SignalErrors (never
// a TypeError or RangeError from deep inside), and the genuine message must still decrypt after.
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../src/signal/bytes.js';
import { SignalError } from '../src/signal/errors.js';
import { createSenderKeyDistributionMessageFor, groupDecrypt, groupEncrypt, processSenderKeyDistributionMessage } from '../src/signal/groupCipher.js';
import { SessionBuilder } from '../src/signal/sessionBuilder.js';
import { SessionCipher } from '../src/signal/sessionCipher.js';
import { createParty } from './parties.js';

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return (bound: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % bound;
  };
}

function mutate(bytes: Uint8Array, next: (bound: number) => number): Uint8Array {
  const out = bytes.slice();
  switch (next(4)) {
    case 0: // flip one bit
      out[next(out.length)]! ^= 1 << next(8);
      return out;
    case 1: // truncate
      return out.subarray(0, next(out.length));
    case 2: // append garbage
      return Uint8Array.of(...out, ...Array.from({ length: 1 + next(40) }, () => next(256)));
    default: // overwrite a run of bytes
      for (let i = next(out.length), n = 1 + next(8); n > 0 && i < out.length; i++, n--) out[i] = next(256);
      return out;
  }
}

async function expectOnlySignalErrors(attempt: () => Promise<unknown>): Promise<void> {
  try {
    await attempt();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(SignalError);
  }
}

describe('mutated input', () => {
  it('one-to-one messages fail cleanly and leave the session intact', async () => {
    const alice = createParty('alice');
    const bob = createParty('bob');
    await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle());
    const a = new SessionCipher(alice.store, bob.address);
    const b = new SessionCipher(bob.store, alice.address);
    const next = prng(2024);
    const preKeyMessage = await a.encrypt(utf8('prekey message'));
    for (let i = 0; i < 300; i++) {
      await expectOnlySignalErrors(() => b.decrypt(3, mutate(preKeyMessage.serialized, next)));
    }
    // Mutations of the unauthenticated outer fields (e.g. the registration id) may have set up
    // the session already; the genuine message then decrypts through it, or is a duplicate.
    await expectOnlySignalErrors(async () => {
      expect(fromUtf8(await b.decrypt(3, preKeyMessage.serialized))).toBe('prekey message');
    });
    const reply = await b.encrypt(utf8('reply'));
    expect(fromUtf8(await a.decrypt(reply.type, reply.serialized))).toBe('reply');
    const message = await a.encrypt(utf8('signal message'));
    for (let i = 0; i < 700; i++) {
      await expectOnlySignalErrors(() => b.decrypt(2, mutate(message.serialized, next)));
    }
    expect(fromUtf8(await b.decrypt(2, message.serialized))).toBe('signal message');
  });

  it('group messages and distribution messages fail cleanly', async () => {
    const sender = createParty('sender');
    const member = createParty('member');
    const group = '11111111-2222-4333-8444-555555555555';
    const skdm = await createSenderKeyDistributionMessageFor(sender.store, sender.address, group);
    const next = prng(7);
    for (let i = 0; i < 200; i++) {
      await expectOnlySignalErrors(() =>
        processSenderKeyDistributionMessage(createParty('m').store, sender.address, mutate(skdm.serialized, next)),
      );
    }
    await processSenderKeyDistributionMessage(member.store, sender.address, skdm.serialized);
    const message = await groupEncrypt(sender.store, sender.address, group, utf8('group message'));
    for (let i = 0; i < 300; i++) {
      await expectOnlySignalErrors(() => groupDecrypt(member.store, sender.address, mutate(message, next)));
    }
    expect(fromUtf8(await groupDecrypt(member.store, sender.address, message))).toBe('group message');
  });
});
