// A call's signalling between two devices: SDP offers and answers and ICE candidates travel as
// `call_signal` blobs through the calls role, sealed end to end with the Signal session of the
// two devices (the one their messages use), so the server relays bytes it cannot read. A blob is
// one type byte (2 SignalMessage, 3 PreKeySignalMessage) and the ciphertext of a JSON payload.
// Blobs from one device are handed on in the order of their `seq`: two calls instances may relay
// them out of order, and an ICE candidate before its offer would be lost.
import { fromUtf8, SessionCipher, utf8 } from '../../signal/index.js';
import type { PersistentSignalStore } from '../crypto/persistentStore.js';
import type { SecureChannel } from '../crypto/secureChannel.js';
import type { Connection } from '../net/connection.js';
import { fromBase64, toBase64 } from '../../signal/index.js';
import { uuidFromBase64, uuidToBase64 } from '../net/ids.js';

/** What one device tells another about their connection. */
export type SignalPayload =
  | { kind: 'offer' | 'answer'; sdp: string }
  | { kind: 'candidate'; candidate: RTCIceCandidateInit }
  | { kind: 'bye' };

export interface IncomingSignal {
  callId: string;
  fromUser: string;
  fromDevice: number;
  payload: SignalPayload;
}

/** Blobs held back waiting for an earlier one of the same device; past this the gap is skipped. */
const MAX_HELD_BLOBS = 64;

interface Stream {
  next: number;
  held: Map<number, any>;
}

export class CallSignalling {
  private readonly sequences = new Map<string, number>();
  private readonly streams = new Map<string, Stream>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly secure: SecureChannel,
    private readonly store: PersistentSignalStore,
  ) {}

  /** Seals the payload for the device and relays it, numbered in the order this device sent that device blobs of the call. */
  async send(callId: string, toUser: string, toDevice: number, payload: SignalPayload): Promise<void> {
    // One counter per receiving device: the receiver expects 1, 2, 3... from each sender (a group call has several receivers).
    const stream = `${callId}/${toUser}/${toDevice}`;
    const seq = (this.sequences.get(stream) ?? 0) + 1;
    this.sequences.set(stream, seq);
    const sealed = await this.secure.sealSignal(toUser, toDevice, utf8(JSON.stringify(payload)));
    const blob = new Uint8Array(sealed.bytes.length + 1);
    blob[0] = sealed.type;
    blob.set(sealed.bytes, 1);
    await this.connection.request({ callSignal: { callId: uuidToBase64(callId), toUser: uuidToBase64(toUser), toDevice,
      blob: toBase64(blob), seq } });
  }

  /**
   * Takes a relayed `CallSignal` push; calls `deliver` with each payload in its sender's order.
   * A blob that does not open (not sealed for this device, tampered) is dropped with a warning.
   */
  receive(signal: any, deliver: (s: IncomingSignal) => void): void {
    this.chain = this.chain.then(() => this.order(signal, deliver)).catch((e) => console.warn('call signal not handled', e));
  }

  /** Forgets a call's counters once it is over. */
  forget(callId: string): void {
    for (const map of [this.sequences, this.streams]) for (const key of [...map.keys()]) if (key.startsWith(`${callId}/`)) map.delete(key);
  }

  private async order(signal: any, deliver: (s: IncomingSignal) => void): Promise<void> {
    const callId = uuidFromBase64(signal.callId);
    const key = `${callId}/${uuidFromBase64(signal.fromUser)}/${Number(signal.fromDevice ?? 0)}`;
    let stream = this.streams.get(key);
    if (stream === undefined) this.streams.set(key, (stream = { next: 1, held: new Map() }));
    const seq = Number(signal.seq ?? 0);
    if (seq < stream.next) return;
    stream.held.set(seq, signal);
    if (stream.held.size > MAX_HELD_BLOBS) stream.next = Math.min(...stream.held.keys());
    while (stream.held.has(stream.next)) {
      const ready = stream.held.get(stream.next);
      stream.held.delete(stream.next);
      stream.next++;
      const opened = await this.open(ready).catch((e) => {
        console.warn('call signal did not decrypt', e);
        return undefined;
      });
      if (opened !== undefined) deliver(opened);
    }
  }

  private async open(signal: any): Promise<IncomingSignal> {
    const fromUser = uuidFromBase64(signal.fromUser);
    const fromDevice = Number(signal.fromDevice ?? 0);
    const blob = fromBase64(signal.blob ?? '');
    if (blob.length < 2) throw new Error('empty call signal');
    const plaintext = await new SessionCipher(this.store, { name: fromUser, deviceId: fromDevice }).decrypt(blob[0]!, blob.subarray(1));
    const payload = JSON.parse(fromUtf8(plaintext)) as SignalPayload;
    if (typeof payload !== 'object' || payload === null || !['offer', 'answer', 'candidate', 'bye'].includes(payload.kind)) {
      throw new Error('unknown call signal');
    }
    return { callId: uuidFromBase64(signal.callId), fromUser, fromDevice, payload };
  }
}
