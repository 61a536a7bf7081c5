// Group messages with Signal sender keys, as the Java SDK's GroupMessenger: before a send this
// device hands its sender key to every member device that lacks it (a 1:1 Signal message whose
// plaintext is "PSK1" + SenderKeyDistribution), then sends one group ciphertext addressed to
// every member device but itself. When a device that had the key is no longer a member device,
// a new key (new distribution id) is started, so whoever left reads nothing that follows.
// Group messages whose key has not arrived yet are held until it does.
import {
  createSenderKeyDistributionMessageFor,
  groupDecrypt,
  groupEncrypt,
  NoSessionError,
  processSenderKeyDistributionMessage,
  toBase64,
  fromBase64,
} from '../../signal/index.js';
import { decodeProto, encodeProto } from '../../signal/protobuf.js';
import type { Database } from '../data/db.js';
import type { Connection } from '../net/connection.js';
import { ParleyError } from '../net/failure.js';
import { randomUuid, uuidBytes, uuidFromBase64, uuidToBase64 } from '../net/ids.js';
import type { PersistentSignalStore } from './persistentStore.js';
import { MAX_ENVELOPE_BYTES, type SecureChannel, type SendResult } from './secureChannel.js';

export const DISTRIBUTION_PREFIX = new TextEncoder().encode('PSK1');
/** libsignal's CiphertextMessage type of a sender-key message: the group envelope's content type. */
const SENDER_KEY_TYPE = 7;
const MAX_ATTEMPTS = 4;
const MAX_HELD = 1_000;

interface Distribution {
  distributionId: string;
  sentTo: string[];
}

export interface GroupMember {
  userId: string;
  admin: boolean;
  deviceIds: number[];
}

export interface GroupInfo {
  groupId: string;
  subject: string;
  description: string;
  members: GroupMember[];
  revision: number;
  announcementOnly: boolean;
  adminsEditInfo: boolean;
  /** Join-by-link requests awaiting an admin (the server lists them to admins only). */
  pending: { userId: string; requestedMs: number }[];
}

export interface OpenedGroupMessage {
  envelope: any;
  plaintext: Uint8Array;
}

export class GroupChannel {
  private readonly queues = new Map<string, Promise<unknown>>();
  private held: any[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly store: PersistentSignalStore,
    private readonly db: Database,
    private readonly secure: SecureChannel,
  ) {}

  async group(groupId: string): Promise<GroupInfo> {
    return toGroup(await this.connection.request({ getGroup: { groupId: uuidToBase64(groupId) } }));
  }

  send(groupId: string, plaintext: Uint8Array): Promise<SendResult> {
    const clientId = randomUuid();
    const previous = this.queues.get(groupId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.attempt(groupId, plaintext, clientId, 1));
    this.queues.set(groupId, next);
    return next;
  }

  private async attempt(groupId: string, plaintext: Uint8Array, clientId: string, attempt: number): Promise<SendResult> {
    const group = await this.group(groupId);
    const targets = group.members.flatMap((m) =>
      m.deviceIds.filter((d) => !(m.userId === this.secure.self && d === this.secure.selfDevice)).map((d) => ({ user: m.userId, device: d })),
    );
    const names = new Set(targets.map((t) => `${t.user}.${t.device}`));
    const saved = await this.db.get<Distribution>('kv', `distribution:${groupId}`);
    const current: Distribution =
      saved !== undefined && saved.sentTo.every((n) => names.has(n)) ? saved : { distributionId: randomUuid(), sentTo: [] };
    const self = { name: this.secure.self, deviceId: this.secure.selfDevice };
    const distribution = await createSenderKeyDistributionMessageFor(this.store, self, current.distributionId);
    const handout = distributionPlaintext(groupId, distribution.serialized);
    for (const user of lacking(targets, new Set(current.sentTo), this.secure.self)) {
      await this.secure.send(user, handout);
    }
    await this.db.put('kv', { distributionId: current.distributionId, sentTo: [...new Set([...current.sentTo, ...names])] }, `distribution:${groupId}`);
    const sealed = await groupEncrypt(this.store, self, current.distributionId, plaintext);
    if (sealed.length > MAX_ENVELOPE_BYTES) throw new ParleyError(413, 'the message is over 64 KiB once encrypted; nothing was sent');
    try {
      const answer = await this.connection.request<any>({
        groupSend: {
          clientMessageId: uuidToBase64(clientId),
          groupId: uuidToBase64(groupId),
          content: toBase64(sealed),
          contentType: SENDER_KEY_TYPE,
          devices: targets.map((t) => ({ userId: uuidToBase64(t.user), deviceId: t.device })),
        },
      });
      return { messageId: uuidFromBase64(answer.messageId), serverTimestampMs: Number(answer.serverTimestampMs ?? Date.now()), duplicate: answer.duplicate === true };
    } catch (e) {
      if (e instanceof ParleyError && [409, 410, 503].includes(e.code) && attempt < MAX_ATTEMPTS) {
        return this.attempt(groupId, plaintext, clientId, attempt + 1);
      }
      throw e;
    }
  }

  /** Whether a decrypted 1:1 plaintext is a sender-key hand-out (then it was taken here). */
  async takeDistribution(envelope: any, plaintext: Uint8Array): Promise<OpenedGroupMessage[] | undefined> {
    if (plaintext.length <= DISTRIBUTION_PREFIX.length || !DISTRIBUTION_PREFIX.every((b, i) => plaintext[i] === b)) return undefined;
    const fields = decodeProto(plaintext.subarray(DISTRIBUTION_PREFIX.length), { 1: 'bytes', 2: 'bytes' });
    const message = fields.get(2);
    if (!(message instanceof Uint8Array)) return [];
    const sender = { name: uuidFromBase64(envelope.senderUser), deviceId: Number(envelope.senderDevice ?? 0) };
    await processSenderKeyDistributionMessage(this.store, sender, message);
    const waiting = this.held;
    this.held = [];
    const opened: OpenedGroupMessage[] = [];
    for (const e of waiting) {
      const result = await this.open(e);
      if (result !== undefined) opened.push(result);
    }
    return opened;
  }

  /** Decrypts a group message; undefined while its sender key has not arrived (it is held). */
  async open(envelope: any): Promise<OpenedGroupMessage | undefined> {
    const sender = { name: uuidFromBase64(envelope.senderUser), deviceId: Number(envelope.senderDevice ?? 0) };
    try {
      return { envelope, plaintext: await groupDecrypt(this.store, sender, fromBase64(envelope.content ?? '')) };
    } catch (e) {
      if (e instanceof NoSessionError) {
        if (this.held.length < MAX_HELD) this.held.push(envelope);
        return undefined;
      }
      throw e;
    }
  }
}

function lacking(targets: { user: string; device: number }[], sentTo: Set<string>, self: string): string[] {
  const users = [...new Set(targets.filter((t) => !sentTo.has(`${t.user}.${t.device}`)).map((t) => t.user))];
  if (!users.includes(self)) return users;
  const others = users.filter((u) => u !== self);
  if (others.length > 0) return others;
  // Only this account's other devices lack it: they get it as the copies of a 1:1 send.
  return targets.map((t) => t.user).filter((u) => u !== self).slice(0, 1);
}

function distributionPlaintext(groupId: string, message: Uint8Array): Uint8Array {
  const body = encodeProto([
    [1, uuidBytes(groupId)],
    [2, message],
  ]);
  const out = new Uint8Array(DISTRIBUTION_PREFIX.length + body.length);
  out.set(DISTRIBUTION_PREFIX);
  out.set(body, DISTRIBUTION_PREFIX.length);
  return out;
}

export function toGroup(g: any): GroupInfo {
  return {
    groupId: uuidFromBase64(g.groupId),
    subject: g.subject ?? '',
    description: g.description ?? '',
    revision: Number(g.revision ?? 0),
    announcementOnly: g.announcementOnly === true,
    adminsEditInfo: g.infoEditors === 'ADMINS_ONLY',
    pending: (g.pending ?? []).map((p: any) => ({ userId: uuidFromBase64(p.userId), requestedMs: Number(p.requestedMs ?? 0) })),
    members: (g.members ?? []).map((m: any) => ({ userId: uuidFromBase64(m.userId), admin: m.admin === true, deviceIds: m.deviceIds ?? [] })),
  };
}
