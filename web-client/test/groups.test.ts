// Sender-key groups between TypeScript devices: distribution, ordering, libsignal's bounds and
// forged or unknown messages.
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../src/signal/bytes.js';
import { DuplicateMessageError, InvalidMessageError, NoSessionError, SignatureError } from '../src/signal/errors.js';
import {
  createSenderKeyDistributionMessageFor,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistributionMessage,
} from '../src/signal/groupCipher.js';
import { parseSenderKeyDistributionMessage } from '../src/signal/senderKeyMessages.js';
import { MAX_SENDER_KEY_STATES, nextSenderChainKey } from '../src/signal/senderKeys.js';
import { createParty } from './parties.js';

const GROUP = '2b1c6f7e-4a8d-4f5e-9c3b-7d6e5f4a3b2c';

async function groupOf() {
  const sender = createParty('sender');
  const member = createParty('member');
  const skdm = await createSenderKeyDistributionMessageFor(sender.store, sender.address, GROUP);
  await processSenderKeyDistributionMessage(member.store, sender.address, skdm.serialized);
  const send = async (text: string) => groupEncrypt(sender.store, sender.address, GROUP, utf8(text));
  const read = async (message: Uint8Array) => fromUtf8(await groupDecrypt(member.store, sender.address, message));
  return { sender, member, skdm, send, read };
}

describe('sender keys', () => {
  it('encrypts with version 0x33 and decrypts out of order, refusing duplicates', async () => {
    const { send, read } = await groupOf();
    const messages = [await send('m0'), await send('m1'), await send('m2')];
    expect(messages[0]![0]).toBe(0x33);
    expect(await read(messages[2]!)).toBe('m2');
    expect(await read(messages[0]!)).toBe('m0');
    expect(await read(messages[1]!)).toBe('m1');
    await expect(read(messages[1]!)).rejects.toThrow(DuplicateMessageError);
  });

  it('distributes a 31-bit chain id, the current iteration and a 33-byte signing key', async () => {
    const { sender, skdm, send } = await groupOf();
    expect(skdm.chainId).toBeLessThan(2 ** 31);
    expect(skdm.signingKey.length).toBe(33);
    await send('advance');
    const again = await createSenderKeyDistributionMessageFor(sender.store, sender.address, GROUP);
    expect(again.iteration).toBe(1);
    expect(again.chainId).toBe(skdm.chainId);
    expect(parseSenderKeyDistributionMessage(again.serialized).distributionId).toBe(GROUP);
  });

  it('refuses a jump beyond 25,000 iterations', async () => {
    const { sender, send, read } = await groupOf();
    const state = (await sender.store.loadSenderKey(sender.address, GROUP))!.states[0]!;
    for (let i = 0; i < 25_001; i++) state.chainKey = nextSenderChainKey(state.chainKey);
    await expect(read(await send('too far'))).rejects.toThrow(InvalidMessageError);
  });

  it('refuses a forged signature and a message for an unknown chain or group', async () => {
    const { member, sender, send, read } = await groupOf();
    const message = await send('signed');
    const forged = message.slice();
    forged[forged.length - 1]! ^= 1;
    await expect(read(forged)).rejects.toThrow(SignatureError);
    expect(await read(message)).toBe('signed');

    const stranger = createParty('stranger');
    await createSenderKeyDistributionMessageFor(stranger.store, sender.address, GROUP);
    const unknownChain = await groupEncrypt(stranger.store, sender.address, GROUP, utf8('x'));
    await expect(read(unknownChain)).rejects.toThrow(NoSessionError);
    await expect(groupDecrypt(member.store, stranger.address, message)).rejects.toThrow(NoSessionError);
  });

  it('keeps progress when the same key is distributed again and at most five states', async () => {
    const { member, sender, skdm, send, read } = await groupOf();
    expect(await read(await send('m0'))).toBe('m0');
    await processSenderKeyDistributionMessage(member.store, sender.address, skdm.serialized);
    const state = (await member.store.loadSenderKey(sender.address, GROUP))!.states[0]!;
    expect(state.chainKey.iteration).toBe(1);
    for (let i = 0; i < MAX_SENDER_KEY_STATES + 2; i++) {
      const other = createParty(`other${i}`);
      const otherSkdm = await createSenderKeyDistributionMessageFor(other.store, sender.address, GROUP);
      await processSenderKeyDistributionMessage(member.store, sender.address, otherSkdm.serialized);
    }
    expect((await member.store.loadSenderKey(sender.address, GROUP))!.states.length).toBe(MAX_SENDER_KEY_STATES);
    await expect(read(await send('evicted'))).rejects.toThrow(NoSessionError);
  });
});
