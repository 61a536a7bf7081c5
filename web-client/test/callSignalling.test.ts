// Call signalling between two devices with real Signal sessions: the blob the server relays is
// ciphertext, blobs relayed out of order are handed on in the sender's order, and a tampered or
// garbage blob is dropped without stalling the ones after it. The socket is replaced by a list
// of the requests the sender made (the browser tests run the real node).
import { describe, expect, it } from 'vitest';
import { CallSignalling, type IncomingSignal, type SignalPayload } from '../src/app/calls/signalling.js';
import { fromBase64, fromUtf8, SessionBuilder, SessionCipher, toBase64 } from '../src/signal/index.js';
import { uuidToBase64 } from '../src/app/net/ids.js';
import { createParty } from './parties.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CALL = '33333333-3333-4333-8333-333333333333';

async function pair() {
  const alice = createParty(ALICE);
  const bob = createParty(BOB);
  await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bob.bundle());
  const sent: any[] = [];
  const connection = { request: async (body: any) => void sent.push(body.callSignal) } as any;
  const secure = {
    sealSignal: async (user: string, device: number, plaintext: Uint8Array) => {
      const message = await new SessionCipher(alice.store, { name: user, deviceId: device }).encrypt(plaintext);
      return { type: message.type, bytes: message.serialized };
    },
  } as any;
  const from = new CallSignalling(connection, secure, alice.store as any);
  const to = new CallSignalling({} as any, {} as any, bob.store as any);
  const received: IncomingSignal[] = [];
  /** The relayed push for a request, as the server forwards it. */
  const relay = (request: any) => ({ callId: request.callId, fromUser: uuidToBase64(ALICE), fromDevice: 1, blob: request.blob, seq: request.seq });
  /** Every blob received so far has been handled (they queue on one promise chain). */
  const settle = () => (to as any).chain as Promise<void>;
  return { from, to, sent, received, relay, settle };
}

const payloads: SignalPayload[] = [
  { kind: 'offer', sdp: 'v=0 offer' },
  { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ relay', sdpMid: '0' } },
  { kind: 'candidate', candidate: { candidate: 'candidate:2 1 udp 1 127.0.0.1 5002 typ relay', sdpMid: '0' } },
];

describe('CallSignalling', () => {
  it('relays ciphertext that only the receiving device opens, numbered 1, 2, 3', async () => {
    const { from, to, sent, received, relay, settle } = await pair();
    for (const p of payloads) await from.send(CALL, BOB, 1, p);
    expect(sent.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(sent[0].toUser).toBe(uuidToBase64(BOB));
    const blob = fromBase64(sent[0].blob);
    expect(fromUtf8(blob)).not.toContain('v=0 offer');
    sent.forEach((s) => to.receive(relay(s), (r) => received.push(r)));
    await settle();
    expect(received.map((r) => r.payload)).toEqual(payloads);
    expect(received[0]!.fromUser).toBe(ALICE);
  });

  it('hands blobs relayed out of order on in the sender order', async () => {
    const { from, to, sent, received, relay, settle } = await pair();
    for (const p of payloads) await from.send(CALL, BOB, 1, p);
    [2, 0, 1].forEach((i) => to.receive(relay(sent[i]), (r) => received.push(r)));
    await settle();
    expect(received.map((r) => r.payload)).toEqual(payloads);
  });

  it('drops a tampered or garbage blob and still delivers the ones after it', async () => {
    const { from, to, sent, received, relay, settle } = await pair();
    for (const p of payloads) await from.send(CALL, BOB, 1, p);
    // The second blob relabelled as a SignalMessage (it is a PreKeySignalMessage): its MAC cannot check out.
    const tampered = fromBase64(sent[1].blob);
    tampered[0] = 2;
    to.receive(relay(sent[0]), (r) => received.push(r));
    to.receive({ ...relay(sent[1]), blob: toBase64(tampered) }, (r) => received.push(r));
    to.receive({ ...relay(sent[2]) }, (r) => received.push(r));
    to.receive({ ...relay(sent[2]), seq: 4, blob: toBase64(Uint8Array.of(2)) }, (r) => received.push(r));
    await settle();
    expect(received.map((r) => r.payload)).toEqual([payloads[0], payloads[2]]);
  });
});
