// Takes every envelope the server pushes, one after another in arrival order: decrypts 1:1 and
// group messages, takes sender keys, applies receipts (ticks), edits, deletes, timers and group
// notices, stores the result, confirms delivery, and acks the envelope only once all of that is
// stored. A replayed envelope (same message id and kind) is acked and changes nothing.
import { fromUtf8 } from '../signal/index.js';
import { DecryptionFailure, ContentType, type SecureChannel } from './crypto/secureChannel.js';
import type { GroupChannel, OpenedGroupMessage } from './crypto/groupChannel.js';
import { callNoticeText } from './calls/callNotice.js';
import type { History, Message } from './data/history.js';
import type { EventHub } from './events.js';
import { applyGroupNotice, readGroupNotice } from './groupNotices.js';
import { decodeContent, type MessageContent } from './media/content.js';
import type { Connection } from './net/connection.js';
import { uuidFromBase64, uuidToBase64 } from './net/ids.js';

const ACK_DELAY_MS = 20;
const MAX_ACKS = 1_000;
const RECEIPT_DELAY_MS = 30;
const NOTICE_CONTENT_TYPE = 71;
export const MAX_RECEIPT_IDS = 100;

/** What the receiver needs from the app around it. */
export interface ReceiverHost {
  readonly self: string;
  isOpen(chatId: string): boolean;
  nameOf(userId: string): Promise<string>;
  ensureDirect(userId: string): Promise<void>;
  ensureGroup(groupId: string): Promise<void>;
}

export class Receiver {
  private chain: Promise<void> = Promise.resolve();
  private readonly acks: string[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly delivered = new Map<string, string[]>();
  /** Receipts that came before the answer to their send (rare): applied when it comes. */
  readonly early = new Map<string, 'delivered' | 'read'>();

  constructor(
    private readonly connection: Connection,
    private readonly secure: SecureChannel,
    private readonly groups: GroupChannel,
    private readonly history: History,
    private readonly events: EventHub,
    private readonly host: ReceiverHost,
  ) {}

  receive(envelope: any): void {
    this.chain = this.chain.then(() => this.handle(envelope)).catch((e) => console.warn('envelope not handled', e));
  }

  /** Resolves once every envelope received so far is handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async handle(envelope: any): Promise<void> {
    const kind = envelope.kind ?? 'MESSAGE';
    const key = `${envelope.messageId}:${kind}`;
    if (!(await this.history.seen(key))) {
      await this.route(envelope, kind);
      await this.history.markSeen(key);
    }
    this.ack(String(envelope.sequence ?? '0'));
  }

  private async route(envelope: any, kind: string): Promise<void> {
    if (kind === 'RECEIPT') return this.onReceipt(envelope);
    if (kind === 'SYSTEM') return this.onSystem(envelope);
    if (envelope.groupId !== undefined) {
      if (kind === 'MESSAGE') await this.showGroup(await this.groups.open(envelope).catch(() => undefined));
      return;
    }
    const type = Number(envelope.contentType ?? 0);
    if (type === ContentType.FILLER) return;
    let plaintext: Uint8Array;
    try {
      plaintext = await this.secure.open(envelope);
    } catch (e) {
      if (e instanceof DecryptionFailure && !e.replay) await this.undecryptable(envelope, e);
      return;
    }
    if (type === ContentType.SESSION_RESET) return this.notice(uuidFromBase64(envelope.senderUser), 'The secure session was renewed.');
    if (kind === 'EDIT') return this.onEdit(envelope, fromUtf8(plaintext));
    if (kind === 'DELETE') return this.onDelete(envelope);
    const released = await this.groups.takeDistribution(envelope, plaintext);
    if (released !== undefined) {
      for (const message of released) await this.showGroup(message);
      return;
    }
    await this.showDirect(envelope, decodeContent(plaintext));
  }

  private async showDirect(envelope: any, content: MessageContent): Promise<void> {
    const { text, statusPostId } = content;
    const sender = uuidFromBase64(envelope.senderUser);
    const chatId = envelope.conversationUser !== undefined ? uuidFromBase64(envelope.conversationUser) : sender;
    await this.host.ensureDirect(chatId);
    const serverId = uuidFromBase64(envelope.messageId);
    const outgoing = sender === this.host.self;
    const message: Message = {
      key: serverId, chatId, serverId, from: sender, fromDevice: Number(envelope.senderDevice ?? 0), outgoing, text,
      sentMs: Number(envelope.serverTimestampMs ?? Date.now()),
      ...(outgoing ? { tick: 'sent' as const } : {}),
      ...(content.attachments.length > 0 ? { attachments: content.attachments } : {}),
      ...(envelope.expiresAtMs !== undefined ? { expiresAtMs: Number(envelope.expiresAtMs) } : {}),
      ...(statusPostId !== undefined ? { statusPostId } : {}),
    };
    await this.history.add(message, this.host.isOpen(chatId));
    this.events.emit('messages', { chatId });
    this.events.emit('chats', undefined);
    if (!outgoing) this.confirm(sender, serverId);
  }

  private async showGroup(opened: OpenedGroupMessage | undefined): Promise<void> {
    if (opened === undefined) return;
    const envelope = opened.envelope;
    const groupId = uuidFromBase64(envelope.groupId);
    await this.host.ensureGroup(groupId);
    const serverId = uuidFromBase64(envelope.messageId);
    const sender = uuidFromBase64(envelope.senderUser);
    const content = decodeContent(opened.plaintext);
    await this.history.add({
      key: serverId, chatId: groupId, serverId, from: sender, fromDevice: Number(envelope.senderDevice ?? 0),
      outgoing: sender === this.host.self, text: content.text, sentMs: Number(envelope.serverTimestampMs ?? Date.now()),
      ...(content.attachments.length > 0 ? { attachments: content.attachments } : {}),
    }, this.host.isOpen(groupId));
    this.events.emit('messages', { chatId: groupId });
    this.events.emit('chats', undefined);
    // No DELIVERED group receipt: the server marks the message delivered when this device acks it.
  }

  private async onReceipt(envelope: any): Promise<void> {
    const receipt = envelope.receipt ?? {};
    const type = receipt.type ?? 'DELIVERED';
    const ids: string[] = (receipt.messageIds ?? []).map(uuidFromBase64);
    if (receipt.fromUser !== undefined && uuidFromBase64(receipt.fromUser) === this.host.self) {
      // Another device of this account read these: they are read here too.
      for (const id of ids) {
        const m = await this.history.byServerId(id);
        if (m !== undefined && !m.read) {
          m.read = true;
          await this.history.save(m);
          const chat = await this.history.chat(m.chatId);
          if (chat !== undefined && chat.unread > 0) {
            chat.unread--;
            await this.history.saveChat(chat);
          }
          this.events.emit('chats', undefined);
        }
      }
      return;
    }
    for (const id of ids) {
      const m = await this.history.byServerId(id);
      if (m !== undefined && m.outgoing && type === 'PLAYED' && !m.played) {
        // A played voice note was heard, so it was read too.
        m.played = true;
        await this.history.advance(m, 'read');
        await this.history.save(m);
        this.events.emit('messages', { chatId: m.chatId });
      } else if (m !== undefined && m.outgoing && (await this.history.advance(m, type === 'DELIVERED' ? 'delivered' : 'read'))) {
        this.events.emit('messages', { chatId: m.chatId });
      } else if (m === undefined) {
        this.early.set(id, type === 'DELIVERED' ? 'delivered' : 'read');
      }
    }
  }

  private async onSystem(envelope: any): Promise<void> {
    if (envelope.notice?.call !== undefined) {
      const caller = uuidFromBase64(envelope.notice.call.caller ?? envelope.senderUser);
      return this.notice(caller, callNoticeText(envelope.notice.call, await this.host.nameOf(caller)), 'call');
    }
    if (envelope.groupId !== undefined && Number(envelope.contentType ?? 0) === NOTICE_CONTENT_TYPE) {
      const notice = readGroupNotice(envelope.content ?? '');
      if (notice === undefined) return;
      await this.host.ensureGroup(notice.groupId);
      const chat = await this.history.chat(notice.groupId);
      if (chat === undefined) return;
      const line = await applyGroupNotice(notice, chat, this.host.self, (user) => this.host.nameOf(user));
      await this.history.saveChat(chat);
      await this.notice(notice.groupId, line);
      this.events.emit('group', { groupId: notice.groupId });
      return;
    }
    const timer = envelope.notice?.disappearing ?? 'OFF';
    const peer = envelope.conversationUser !== undefined ? uuidFromBase64(envelope.conversationUser) : undefined;
    if (peer === undefined) return;
    await this.host.ensureDirect(peer);
    const chat = await this.history.chat(peer);
    if (chat !== undefined) {
      chat.timer = timer;
      await this.history.saveChat(chat);
    }
    await this.notice(peer, timer === 'OFF' ? 'Disappearing messages were turned off.' : `Disappearing messages: ${TIMER_NAMES[timer] ?? timer}.`);
  }

  private async onEdit(envelope: any, text: string): Promise<void> {
    const original = await this.history.byServerId(uuidFromBase64(envelope.refersTo ?? ''));
    if (original === undefined || original.from !== uuidFromBase64(envelope.senderUser)) return;
    original.text = text;
    original.edited = true;
    await this.history.save(original);
    this.events.emit('messages', { chatId: original.chatId });
  }

  private async onDelete(envelope: any): Promise<void> {
    const original = await this.history.byServerId(uuidFromBase64(envelope.refersTo ?? ''));
    if (original === undefined || original.from !== uuidFromBase64(envelope.senderUser)) return;
    original.text = 'This message was deleted';
    original.deleted = true;
    await this.history.save(original);
    this.events.emit('messages', { chatId: original.chatId });
  }

  private async undecryptable(envelope: any, failure: DecryptionFailure): Promise<void> {
    const sender = uuidFromBase64(envelope.senderUser);
    const name = await this.host.nameOf(sender);
    await this.notice(sender, `A message from ${name} could not be decrypted.` +
      (failure.resetRequested ? ' Their device was asked to renew the secure session; new messages will arrive.' : ''), 'undecryptable');
  }

  /** A line from the app in a chat (not counted unread). */
  async notice(chatId: string, text: string, style?: string): Promise<void> {
    if (chatId.length === 36) await this.host.ensureDirect(chatId).catch(() => {});
    const key = `notice:${crypto.randomUUID()}`;
    await this.history.add({ key, chatId, from: style ?? '', fromDevice: 0, outgoing: false, text, sentMs: Date.now(), notice: true }, true);
    this.events.emit('messages', { chatId });
    this.events.emit('chats', undefined);
  }

  private confirm(sender: string, messageId: string): void {
    const pending = this.delivered.get(sender) ?? [];
    pending.push(messageId);
    this.delivered.set(sender, pending);
    if (pending.length > 1) return;
    setTimeout(() => {
      const batch = this.delivered.get(sender) ?? [];
      this.delivered.delete(sender);
      for (let i = 0; i < batch.length; i += MAX_RECEIPT_IDS) {
        const ids = batch.slice(i, i + MAX_RECEIPT_IDS).map(uuidToBase64);
        this.connection.request({ receipt: { toUser: uuidToBase64(sender), type: 'DELIVERED', messageIds: ids } }).catch(() => {});
      }
    }, RECEIPT_DELAY_MS);
  }

  private ack(sequence: string): void {
    this.acks.push(sequence);
    if (this.ackTimer !== undefined) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      // At most 1,000 per ack; an ack lost with a dropped connection only means a replay, ignored here.
      const batch = this.acks.splice(0, MAX_ACKS);
      this.connection.request({ ack: { sequences: batch } }).catch(() => {});
      if (this.acks.length > 0) this.ack(this.acks.pop()!);
    }, ACK_DELAY_MS);
  }
}

export const TIMER_NAMES: Record<string, string> = { OFF: 'off', HOURS_24: '24 hours', DAYS_7: '7 days', DAYS_90: '90 days' };
