// End-to-end encrypted 1:1 sends and receives, as the Java SDK's SecureMessenger: one Signal
// ciphertext per device of the recipient and of this account's other devices, a session built
// from a fetched bundle (PQXDH) for every device without one, device lists corrected on 409/410
// and the send retried with the same client message id. What does not decrypt is reported and
// answered with a session reset (a prekey message on a fresh session, content type 16).
import {
  CiphertextMessageType,
  DuplicateMessageError,
  fromBase64,
  ReusedBaseKeyError,
  SessionBuilder,
  SessionCipher,
  toBase64,
  type PreKeyBundle,
  type ProtocolAddress,
} from '../../signal/index.js';
import type { Database } from '../data/db.js';
import type { Connection } from '../net/connection.js';
import { ParleyError, type Mismatch } from '../net/failure.js';
import { randomUuid, uuidFromBase64, uuidToBase64 } from '../net/ids.js';
import type { PersistentSignalStore } from './persistentStore.js';

export const ContentType = { SIGNAL: 2, PREKEY: 3, SESSION_RESET: 16, FILLER: 17 } as const;
/** The server's limit per envelope; larger messages are refused here, before anything is sent. */
export const MAX_ENVELOPE_BYTES = 64 * 1024;
const MAX_ATTEMPTS = 4;
const RESET_INTERVAL_MS = 10_000;

export interface OutgoingEnvelope {
  userId: string;
  deviceId: number;
  content: string;
  contentType: number;
}

export interface SendResult {
  messageId: string;
  serverTimestampMs: number;
  duplicate: boolean;
}

export type SendKind = 'sendMessage' | 'editMessage' | 'deleteMessage';

/** A message that did not decrypt, and whether its sender's device was asked to reset the session. */
export class DecryptionFailure extends Error {
  constructor(
    message: string,
    readonly replay: boolean,
    readonly resetRequested: boolean,
  ) {
    super(message);
  }
}

type Sealer = (user: string, device: number, plaintext: Uint8Array) => Promise<OutgoingEnvelope>;

export class SecureChannel {
  private readonly devices = new Map<string, Set<number>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly lastReset = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly store: PersistentSignalStore,
    private readonly db: Database,
    readonly self: string,
    readonly selfDevice: number,
  ) {}

  async load(): Promise<void> {
    const saved = (await this.db.get<Record<string, number[]>>('kv', 'devices')) ?? {};
    for (const [user, list] of Object.entries(saved)) this.devices.set(user, new Set(list));
  }

  /** The devices this device believes the user has: the primary until the server says otherwise. */
  devicesOf(user: string): number[] {
    let known = this.devices.get(user);
    if (known === undefined) {
      known = new Set(user === this.self ? [this.selfDevice] : [1]);
      this.devices.set(user, known);
    }
    return [...known].sort((a, b) => a - b);
  }

  /** This account's devices changed (a companion was linked or removed). */
  async setOwnDevices(ids: number[]): Promise<void> {
    this.devices.set(this.self, new Set(ids));
    await this.saveDevices();
  }

  send(recipient: string, plaintext: Uint8Array, kind: SendKind = 'sendMessage', refersTo?: string): Promise<SendResult> {
    return this.inOrder(recipient, () => this.attempt(recipient, plaintext, kind, randomUuid(), refersTo, this.seal));
  }

  /** One device's ciphertext outside a send (a status copy), in order with the sends to that user. */
  sealFor(user: string, device: number, plaintext: Uint8Array): Promise<OutgoingEnvelope> {
    return this.inOrder(user, () => this.seal(user, device, plaintext));
  }

  /** A payload that is not a message (a call's signalling) sealed for one device, as sealFor does. */
  async sealSignal(user: string, device: number, plaintext: Uint8Array): Promise<{ type: number; bytes: Uint8Array }> {
    const sealed = await this.sealFor(user, device, plaintext);
    return { type: sealed.contentType, bytes: fromBase64(sealed.content) };
  }

  /** Encrypts for one device, building the session from a fresh bundle when there is none. */
  private readonly seal: Sealer = async (user, device, plaintext) => {
    const address = { name: user, deviceId: device };
    if (!this.store.hasSession(address)) await this.buildSession(address);
    const message = await new SessionCipher(this.store, address).encrypt(plaintext);
    return envelope(user, device, message.serialized, message.type);
  };

  private async attempt(recipient: string, plaintext: Uint8Array, kind: SendKind, clientId: string,
      refersTo: string | undefined, sealer: Sealer, attempt = 1): Promise<SendResult> {
    const envelopes = await this.sealAll(recipient, plaintext, sealer);
    const body: Record<string, unknown> = { clientMessageId: uuidToBase64(clientId), recipient: uuidToBase64(recipient), envelopes };
    if (refersTo !== undefined) body.messageId = uuidToBase64(refersTo);
    try {
      const answer = await this.connection.request<any>({ [kind]: body });
      return {
        messageId: uuidFromBase64(answer.messageId),
        serverTimestampMs: Number(answer.serverTimestampMs ?? Date.now()),
        duplicate: answer.duplicate === true,
      };
    } catch (e) {
      if (e instanceof ParleyError && (e.code === 409 || e.code === 410) && e.mismatches.length > 0 && attempt < MAX_ATTEMPTS) {
        await this.correct(e.mismatches);
        return this.attempt(recipient, plaintext, kind, clientId, refersTo, sealer, attempt + 1);
      }
      // A dropped connection: the same client message id makes the retry safe (stored once).
      if (e instanceof ParleyError && e.code === 503 && attempt < MAX_ATTEMPTS) {
        return this.attempt(recipient, plaintext, kind, clientId, refersTo, sealer, attempt + 1);
      }
      throw e;
    }
  }

  private async sealAll(recipient: string, plaintext: Uint8Array, sealer: Sealer): Promise<OutgoingEnvelope[]> {
    const targets: [string, number][] = [];
    if (recipient !== this.self) this.devicesOf(recipient).forEach((d) => targets.push([recipient, d]));
    this.devicesOf(this.self).filter((d) => d !== this.selfDevice).forEach((d) => targets.push([this.self, d]));
    const out: OutgoingEnvelope[] = [];
    for (const [user, device] of targets) {
      const sealed = await sealer(user, device, plaintext);
      if (fromBase64(sealed.content).length > MAX_ENVELOPE_BYTES) {
        throw new ParleyError(413, `the message is over ${MAX_ENVELOPE_BYTES / 1024} KiB once encrypted; nothing was sent`);
      }
      out.push(sealed);
    }
    return out;
  }

  private async correct(mismatches: Mismatch[]): Promise<void> {
    for (const mismatch of mismatches) {
      const user = uuidFromBase64(mismatch.userId);
      const known = new Set(this.devicesOf(user));
      (mismatch.missingDevices ?? []).forEach((d) => known.add(d));
      (mismatch.extraDevices ?? []).forEach((d) => known.delete(d));
      this.devices.set(user, known);
    }
    await this.saveDevices();
  }

  private async buildSession(address: ProtocolAddress): Promise<void> {
    const answer = await this.connection.request<any>({
      getBundles: { userId: uuidToBase64(address.name), deviceIds: [address.deviceId] },
    });
    const bundle = (answer.bundles ?? []).find((b: any) => (b.deviceId ?? 0) === address.deviceId);
    if (bundle === undefined) throw new ParleyError(404, `device ${address.deviceId} has not published keys`);
    await new SessionBuilder(this.store, address).processPreKeyBundle(toBundle(bundle));
  }

  /** Decrypts a 1:1 envelope's content; a failure asks the sender's device for a session reset. */
  async open(envelope: any): Promise<Uint8Array> {
    const sender = uuidFromBase64(envelope.senderUser);
    const device = Number(envelope.senderDevice ?? 0);
    const address = { name: sender, deviceId: device };
    const type = Number(envelope.contentType ?? 0);
    try {
      const cipherType = type === ContentType.SIGNAL ? CiphertextMessageType.Whisper : CiphertextMessageType.PreKey;
      return await new SessionCipher(this.store, address).decrypt(cipherType, fromBase64(envelope.content ?? ''));
    } catch (e) {
      const replay = e instanceof DuplicateMessageError || e instanceof ReusedBaseKeyError;
      const key = `${sender}.${device}`;
      const now = Date.now();
      const reset = !replay && type !== ContentType.SESSION_RESET && now - (this.lastReset.get(key) ?? 0) >= RESET_INTERVAL_MS;
      if (reset) {
        this.lastReset.set(key, now);
        this.requestReset(sender, device, envelope.messageId).catch((err) => console.warn('session reset not sent', err));
      }
      throw new DecryptionFailure(`${(e as Error).name}: ${(e as Error).message}`, replay, reset);
    }
  }

  /** Builds a new session with the sender's device from a fresh bundle and sends it the failed message's id. */
  private requestReset(sender: string, device: number, failedMessageId: string): Promise<SendResult> {
    const sealer: Sealer = async (user, d, payload) => {
      if (user !== sender || d !== device) return envelope(user, d, Uint8Array.of(0), ContentType.FILLER);
      const address = { name: user, deviceId: d };
      await this.buildSession(address);
      const message = await new SessionCipher(this.store, address).encrypt(payload);
      return envelope(user, d, message.serialized, ContentType.SESSION_RESET);
    };
    return this.inOrder(sender, () => this.attempt(sender, fromBase64(failedMessageId), 'sendMessage', randomUuid(), undefined, sealer));
  }

  private inOrder<T>(conversation: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversation) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.queues.set(conversation, next);
    return next;
  }

  private saveDevices(): Promise<void> {
    const out: Record<string, number[]> = {};
    for (const [user, list] of this.devices) out[user] = [...list];
    return this.db.put('kv', out, 'devices');
  }
}

function envelope(userId: string, deviceId: number, content: Uint8Array, contentType: number): OutgoingEnvelope {
  return { userId: uuidToBase64(userId), deviceId, content: toBase64(content), contentType };
}

function toBundle(b: any): PreKeyBundle {
  return {
    registrationId: b.registrationId ?? 0,
    deviceId: b.deviceId ?? 0,
    ...(b.preKey === undefined ? {} : { preKeyId: b.preKey.keyId ?? 0, preKey: fromBase64(b.preKey.publicKey) }),
    signedPreKeyId: b.signedPreKey?.keyId ?? 0,
    signedPreKey: fromBase64(b.signedPreKey?.publicKey ?? ''),
    signedPreKeySignature: fromBase64(b.signedPreKey?.signature ?? ''),
    identityKey: fromBase64(b.identityKey ?? ''),
    kyberPreKeyId: b.kyberPreKey?.keyId ?? 0,
    kyberPreKey: fromBase64(b.kyberPreKey?.publicKey ?? ''),
    kyberPreKeySignature: fromBase64(b.kyberPreKey?.signature ?? ''),
  };
}
