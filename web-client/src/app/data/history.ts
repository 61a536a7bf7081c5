// The conversations and messages this device keeps (IndexedDB): chats with their last message
// and unread count, messages with their ticks, edits and deletions, and search over them.
import type { AttachmentPointer } from '../media/content.js';
import type { Database } from './db.js';

export type Tick = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Chat {
  id: string; // the peer's user id, the group id, or the broadcast list id
  kind: 'direct' | 'group' | 'broadcast';
  title: string;
  lastText: string;
  lastMs: number;
  unread: number;
  timer?: string; // disappearing timer of a direct chat
  description?: string; // a group's, as of `revision`
  revision?: number; // the group revision of the last notice applied
  lastFrom?: string; // who wrote the last message (a group's chat list line names them)
  membership?: 'pending' | 'refused' | 'removed' | 'left'; // unset: a member (or not a group)
}

export interface Message {
  key: string; // the local id of an outgoing message, the server id of an incoming one
  chatId: string;
  serverId?: string;
  from: string;
  fromDevice: number;
  outgoing: boolean;
  text: string;
  sentMs: number;
  tick?: Tick;
  notice?: boolean; // a line from the app or the server, not someone's message
  edited?: boolean;
  deleted?: boolean;
  expiresAtMs?: number;
  read?: boolean;
  statusPostId?: string; // a reply to this status post
  attachments?: AttachmentPointer[]; // files sent with the message (the text is their caption)
  played?: boolean; // a voice note: played here (incoming) or by the recipient (outgoing)
}

/** How a message without a caption reads in the chat list. */
const ATTACHMENT_LABELS: Record<string, string> = { voice: '♪ Voice note', image: 'Photo', video: 'Video' };
const TICK_ORDER: Tick[] = ['failed', 'pending', 'sent', 'delivered', 'read'];
const MAX_SEARCH_RESULTS = 200;

export class History {
  constructor(private readonly db: Database) {}

  chats(): Promise<Chat[]> {
    return this.db.all<Chat>('chats').then((all) => all.sort((a, b) => b.lastMs - a.lastMs));
  }

  chat(id: string): Promise<Chat | undefined> {
    return this.db.get<Chat>('chats', id);
  }

  saveChat(chat: Chat): Promise<void> {
    return this.db.put('chats', chat);
  }

  async ensureChat(id: string, kind: Chat['kind'], title: string): Promise<Chat> {
    const existing = await this.chat(id);
    if (existing !== undefined) return existing;
    const chat: Chat = { id, kind, title, lastText: '', lastMs: Date.now(), unread: 0 };
    await this.saveChat(chat);
    return chat;
  }

  async messages(chatId: string): Promise<Message[]> {
    const now = Date.now();
    const all = await this.db.range<Message>('messages', 'byChat', [chatId, 0], [chatId, Number.MAX_SAFE_INTEGER]);
    return all.filter((m) => m.expiresAtMs === undefined || m.expiresAtMs > now);
  }

  message(key: string): Promise<Message | undefined> {
    return this.db.get<Message>('messages', key);
  }

  byServerId(serverId: string): Promise<Message | undefined> {
    return this.db.byIndex<Message>('messages', 'byServerId', serverId);
  }

  /** Adds a message and makes it its chat's last one; counts it unread unless the chat is open. */
  async add(message: Message, open: boolean): Promise<void> {
    await this.db.put('messages', message);
    const chat = await this.chat(message.chatId);
    if (chat === undefined) return;
    if (message.sentMs >= chat.lastMs || chat.lastText === '') {
      chat.lastText = message.text !== '' || message.attachments === undefined ? message.text
        : ATTACHMENT_LABELS[message.attachments[0]?.kind ?? ''] ?? `File: ${message.attachments[0]?.fileName ?? ''}`;
      chat.lastMs = message.sentMs;
      chat.lastFrom = message.notice ? undefined : message.from;
    }
    if (!message.outgoing && !message.notice && !open) chat.unread++;
    await this.saveChat(chat);
  }

  save(message: Message): Promise<void> {
    return this.db.put('messages', message);
  }

  /** Moves a message's tick forward (never back: a late "delivered" does not undo "read"). */
  async advance(message: Message, tick: Tick): Promise<boolean> {
    if (TICK_ORDER.indexOf(tick) <= TICK_ORDER.indexOf(message.tick ?? 'pending')) return false;
    message.tick = tick;
    await this.save(message);
    return true;
  }

  async markRead(chatId: string): Promise<Message[]> {
    const chat = await this.chat(chatId);
    if (chat !== undefined && chat.unread !== 0) {
      chat.unread = 0;
      await this.saveChat(chat);
    }
    const unread = (await this.messages(chatId)).filter((m) => !m.outgoing && !m.notice && !m.read && m.serverId !== undefined);
    for (const m of unread) {
      m.read = true;
      await this.save(m);
    }
    return unread;
  }

  /** Messages whose text contains every word of the query, newest first. */
  async search(query: string): Promise<Message[]> {
    const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return [];
    const all = await this.db.all<Message>('messages');
    return all
      .filter((m) => !m.notice && !m.deleted && words.every((w) => m.text.toLowerCase().includes(w)))
      .sort((a, b) => b.sentMs - a.sentMs)
      .slice(0, MAX_SEARCH_RESULTS);
  }

  /** Whether an envelope (message id and kind) was handled already, before this replay of it. */
  async seen(envelopeKey: string): Promise<boolean> {
    return (await this.db.get('seen', envelopeKey)) !== undefined;
  }

  /** Records an envelope as handled, once its effects are stored and before it is acked. */
  markSeen(envelopeKey: string): Promise<void> {
    return this.db.put('seen', Date.now(), envelopeKey);
  }
}
