// The app's core for one signed-in device: its stored account, the connection, the Signal
// channels, history, and the actions the views call (send, edit, delete, groups, receipts,
// presence, typing, settings). Views listen to `events`.
import { utf8 } from '../signal/index.js';
import { CallManager } from './calls/callManager.js';
import { CallSignalling } from './calls/signalling.js';
import { GroupChannel, toGroup, type GroupInfo } from './crypto/groupChannel.js';
import { KeyPublisher } from './crypto/keyPublisher.js';
import { PersistentSignalStore } from './crypto/persistentStore.js';
import { MAX_ENVELOPE_BYTES, SecureChannel, type SendResult } from './crypto/secureChannel.js';
import type { Database } from './data/db.js';
import { History, type Chat, type Message } from './data/history.js';
import { EventHub } from './events.js';
import { GroupActions } from './groupActions.js';
import { GroupTicks } from './groupTicks.js';
import { AttachmentService } from './media/attachments.js';
import { encodeContent, type AttachmentPointer } from './media/content.js';
import { Connection } from './net/connection.js';
import { ParleyError, readable } from './net/failure.js';
import type { DeviceCredentials } from './net/http.js';
import { randomUuid, uuidFromBase64, uuidToBase64 } from './net/ids.js';
import { WebPush } from './push/webPush.js';
import { MAX_RECEIPT_IDS, Receiver } from './receiver.js';
import { SafetyNumbers } from './safety.js';
import { StatusBook, type StatusPost } from './status.js';

/** What the app keeps of its account in IndexedDB (kv 'account'). */
export interface Account {
  credentials: DeviceCredentials;
  username: string;
  userId: string;
}

const PRESENCE_RENEW_MS = 4 * 60 * 1000;
/** A plaintext this large cannot fit one envelope once encrypted and encoded. */
const MAX_PLAINTEXT_BYTES = MAX_ENVELOPE_BYTES - 1024;

export class ParleyApp {
  readonly events = new EventHub();
  readonly history: History;
  readonly connection: Connection;
  readonly secure: SecureChannel;
  readonly groups: GroupChannel;
  readonly receiver: Receiver;
  readonly status: StatusBook;
  readonly safety: SafetyNumbers;
  readonly groupTicks: GroupTicks;
  readonly groupActions: GroupActions;
  readonly attachments: AttachmentService;
  readonly push: WebPush;
  readonly calls: CallManager;
  private readonly keys: KeyPublisher;
  private readonly names = new Map<string, string>();
  private openChat: string | undefined;
  private presenceTimer: ReturnType<typeof setInterval> | undefined;
  /** True once the server holds this device's keys (others can start sessions with it). */
  keysReady = false;
  private pendingProfile: string | undefined;

  private constructor(readonly db: Database, readonly account: Account, readonly store: PersistentSignalStore) {
    this.history = new History(db);
    this.connection = new Connection(account.credentials);
    this.secure = new SecureChannel(this.connection, store, db, account.userId, account.credentials.deviceId);
    this.groups = new GroupChannel(this.connection, store, db, this.secure);
    this.keys = new KeyPublisher(this.connection, store, db);
    this.attachments = new AttachmentService(this.connection, this.history, this.events);
    this.status = new StatusBook(this.connection, this.secure, db, this.attachments);
    this.safety = new SafetyNumbers(this.connection, store, db, account.userId, account.credentials.deviceId);
    this.push = new WebPush(this.connection);
    this.receiver = new Receiver(this.connection, this.secure, this.groups, this.history, this.events, {
      self: account.userId,
      isOpen: (chatId) => this.openChat === chatId && document.visibilityState === 'visible',
      nameOf: (userId) => this.nameOf(userId),
      ensureDirect: (userId) => this.ensureDirect(userId).then(() => undefined),
      ensureGroup: (groupId) => this.ensureGroup(groupId).then(() => undefined),
    });
    this.groupTicks = new GroupTicks(this.connection, this.history, this.events);
    this.groupActions = new GroupActions(this.connection, this.history, this.events, (id) => this.ensureGroup(id),
      (chatId, text) => this.receiver.notice(chatId, text));
    this.calls = new CallManager(this.connection, new CallSignalling(this.connection, this.secure, store), {
      self: account.userId,
      selfDevice: account.credentials.deviceId,
      nameOf: (userId) => this.nameOf(userId),
      notice: (chatId, text) => this.receiver.notice(chatId, text, 'call'),
      fail: (e) => this.fail(e),
    });
    store.onIdentityChange = (address) =>
      void this.receiver.notice(address.name, 'The safety number with this contact changed (they may have reinstalled Parley).');
  }

  /** Starts the device; a new account passes its display name, set on the server before anything else. */
  static async start(db: Database, account: Account, displayName?: string): Promise<ParleyApp> {
    const store = await PersistentSignalStore.open(db);
    const app = new ParleyApp(db, account, store);
    app.pendingProfile = displayName;
    await app.secure.load();
    for (const [id, name] of Object.entries((await db.get<Record<string, string>>('kv', 'names')) ?? {})) app.names.set(id, name);
    app.connection.onPush((push) => app.onPush(push));
    app.connection.onState((state, detail) => {
      app.events.emit('state', { state, ...(detail === undefined ? {} : { detail }) });
      if (state === 'online') app.onConnected();
    });
    app.connection.start();
    return app;
  }

  get self(): string {
    return this.account.userId;
  }

  private onConnected(): void {
    const profile = this.pendingProfile === undefined ? Promise.resolve() : this.setProfile(this.pendingProfile, '')
      .then(() => (this.pendingProfile = undefined));
    profile.then(() => this.keys.publish()).then(() => (this.keysReady = true)).catch((e) => this.fail(e));
    this.privacy().then((p) => (this.groupTicks.readReceiptsOff = p.readReceiptsOff)).catch(() => {});
    this.connection.request<any>({ listDevices: {} })
      .then((list) => this.secure.setOwnDevices((list.devices ?? []).map((d: any) => d.deviceId ?? 0)))
      .catch(() => {});
    this.connection.request<any>({ listGroups: {} })
      .then(async (list) => {
        for (const g of list.groups ?? []) await this.ensureGroup(uuidFromBase64(g.groupId), toGroup(g).subject);
      })
      .catch(() => {});
    this.connection.request<any>({ listBroadcastLists: {} })
      .then(async (list) => {
        for (const b of list.lists ?? []) await this.ensureBroadcast(uuidFromBase64(b.listId), b.name ?? 'Broadcast');
      })
      .catch(() => {});
    this.push.refresh().catch((e) => this.fail(e));
    const open = this.openChat;
    if (open !== undefined) void this.history.chat(open).then((chat) => chat?.kind === 'direct' && this.watchPresence(open));
  }

  private onPush(push: any): void {
    if (push.envelope !== undefined) this.receiver.receive(push.envelope);
    else if (push.call !== undefined) this.calls.onEvent(push.call);
    else if (push.callSignal !== undefined) this.calls.onSignal(push.callSignal);
    else if (push.typing !== undefined) {
      const from = uuidFromBase64(push.typing.fromUser);
      this.events.emit('typing', { chatId: from, userId: from, typing: push.typing.typing === true });
    } else if (push.presence !== undefined) this.emitPresence(push.presence);
    else if (push.inboxDrained !== undefined) {
      const replayed = Number(push.inboxDrained.replayed ?? 0);
      void this.receiver.idle().then(() => this.events.emit('drained', { replayed }));
    } else if (push.devicesChanged !== undefined) {
      void this.secure.setOwnDevices((push.devicesChanged.devices ?? []).map((d: any) => d.deviceId ?? 0));
    } else if (push.keysLow !== undefined) this.keys.publish().catch((e) => this.fail(e));
  }

  // --- chats ---

  /** Starts (or finds) the chat with a user named by username; the user becomes a contact. */
  async startChat(username: string): Promise<Chat> {
    const contact = await this.connection.request<any>({ addContact: { username: username.trim().toLowerCase() } });
    const userId = uuidFromBase64(contact.userId);
    await this.rememberName(userId, contact.displayName || contact.username || username);
    return this.ensureDirect(userId);
  }

  async ensureDirect(userId: string): Promise<Chat> {
    const existing = await this.history.chat(userId);
    if (existing !== undefined && !existing.title.startsWith('user ')) return existing;
    if (existing !== undefined) {
      // Named before the peer set a profile: try again.
      existing.title = await this.nameOf(userId);
      await this.history.saveChat(existing);
      return existing;
    }
    const chat = await this.history.ensureChat(userId, 'direct', await this.nameOf(userId));
    this.events.emit('chats', undefined);
    return chat;
  }

  async ensureGroup(groupId: string, subject?: string): Promise<Chat> {
    const existing = await this.history.chat(groupId);
    if (existing !== undefined && (subject === undefined || existing.title === subject)) return existing;
    const title = subject ?? (await this.groups.group(groupId).then((g) => g.subject).catch(() => 'Group'));
    const chat = existing ?? (await this.history.ensureChat(groupId, 'group', title));
    chat.title = title;
    await this.history.saveChat(chat);
    this.events.emit('chats', undefined);
    return chat;
  }

  async createGroup(subject: string, usernames: string[]): Promise<Chat> {
    const members: string[] = [];
    for (const name of usernames.map((u) => u.trim().toLowerCase()).filter((u) => u !== '')) {
      const contact = await this.connection.request<any>({ addContact: { username: name } });
      await this.rememberName(uuidFromBase64(contact.userId), contact.displayName || contact.username || name);
      members.push(contact.userId);
    }
    const group = toGroup(await this.connection.request({ createGroup: { subject, members } }));
    return this.ensureGroup(group.groupId, group.subject);
  }

  /** A broadcast list: each message goes 1:1 to every recipient who has this user in their contacts. */
  async createBroadcast(name: string, usernames: string[]): Promise<Chat> {
    const recipients: string[] = [];
    for (const username of usernames.map((u) => u.trim().toLowerCase()).filter((u) => u !== '')) {
      const contact = await this.connection.request<any>({ addContact: { username } });
      await this.rememberName(uuidFromBase64(contact.userId), contact.displayName || contact.username || username);
      recipients.push(contact.userId);
    }
    const list = await this.connection.request<any>({ createBroadcastList: { name, recipients } });
    return this.ensureBroadcast(uuidFromBase64(list.listId), list.name ?? name);
  }

  private async ensureBroadcast(listId: string, name: string): Promise<Chat> {
    const chat = await this.history.ensureChat(listId, 'broadcast', name);
    this.events.emit('chats', undefined);
    return chat;
  }

  /** Sends a broadcast's copies one by one; those the server says may not get it are skipped and named. */
  private async broadcast(listId: string, bytes: Uint8Array): Promise<SendResult> {
    const targets = await this.connection.request<any>({ broadcastTargets: { listId: uuidToBase64(listId) } });
    const eligible: string[] = (targets.eligible ?? []).map(uuidFromBase64);
    let last: SendResult | undefined;
    for (const user of eligible) last = await this.secure.send(user, bytes);
    const skipped: string[] = (targets.skipped ?? []).map(uuidFromBase64);
    if (skipped.length > 0) {
      const names = await Promise.all(skipped.map((u) => this.nameOf(u)));
      await this.receiver.notice(listId, `Not sent to ${names.join(', ')}: only people who have you in their contacts get broadcasts.`);
    }
    if (last === undefined) throw new ParleyError(409, 'nobody on this list can receive broadcasts from you yet');
    return { ...last, messageId: randomUuid() };
  }

  groupInfo(groupId: string): Promise<GroupInfo> {
    return this.groups.group(groupId);
  }

  async changeMembers(groupId: string, action: 'ADD' | 'REMOVE' | 'PROMOTE' | 'DEMOTE', username: string): Promise<void> {
    const contact = await this.connection.request<any>({ resolveUser: { username: username.trim().toLowerCase() } });
    await this.connection.request({ changeMembers: { groupId: uuidToBase64(groupId), action, userIds: [contact.userId] } });
  }

  async leaveGroup(groupId: string): Promise<void> {
    await this.connection.request({ leaveGroup: { groupId: uuidToBase64(groupId) } });
  }

  async createInvite(groupId: string, approvalRequired = false): Promise<string> {
    return (await this.groupActions.createInvite(groupId, approvalRequired)).code;
  }

  /** Joins by invite code; with admin approval the chat waits as pending (groupActions.ts). */
  joinGroup(code: string): Promise<Chat> {
    return this.groupActions.join(code);
  }

  // --- messages ---

  /** Sends text, or uploaded attachments with the text as their caption; statusPostId makes it a status reply. */
  async send(chatId: string, text: string, attachments: AttachmentPointer[] = [], statusPostId?: string): Promise<Message | undefined> {
    const chat = await this.history.chat(chatId);
    if (chat === undefined || (text.trim() === '' && attachments.length === 0)) return undefined;
    const bytes = encodeContent({ text, attachments, ...(statusPostId === undefined ? {} : { statusPostId }) });
    if (bytes.length > MAX_PLAINTEXT_BYTES) {
      this.fail(new ParleyError(413, `the message is ${Math.ceil(bytes.length / 1024)} KiB; the limit is ${MAX_PLAINTEXT_BYTES / 1024} KiB. Nothing was sent.`));
      return undefined;
    }
    const message: Message = { key: randomUuid(), chatId, from: this.self, fromDevice: this.account.credentials.deviceId,
      outgoing: true, text, sentMs: Date.now(), tick: 'pending', ...(attachments.length > 0 ? { attachments } : {}),
      ...(statusPostId === undefined ? {} : { statusPostId }) };
    await this.history.add(message, true);
    this.events.emit('messages', { chatId });
    this.events.emit('chats', undefined);
    try {
      const result: SendResult = chat.kind === 'group' ? await this.groups.send(chatId, bytes)
        : chat.kind === 'broadcast' ? await this.broadcast(chatId, bytes) : await this.secure.send(chatId, bytes);
      message.serverId = result.messageId;
      message.tick = 'sent';
      const early = this.receiver.early.get(result.messageId);
      if (early !== undefined) message.tick = early;
      await this.history.save(message);
    } catch (e) {
      message.tick = 'failed';
      await this.history.save(message);
      this.fail(e);
    }
    this.events.emit('messages', { chatId });
    return message;
  }

  /** Replies to a status post with a 1:1 message to its poster that names the post (as the SDK's StatusApi.reply). */
  async replyToStatus(post: StatusPost, text: string): Promise<Message | undefined> {
    await this.ensureDirect(post.poster);
    return this.send(post.poster, text, [], post.postId);
  }

  async edit(message: Message, text: string): Promise<void> {
    if (message.serverId === undefined) return;
    await this.secure.send(message.chatId, utf8(text), 'editMessage', message.serverId);
    message.text = text;
    message.edited = true;
    await this.history.save(message);
    this.events.emit('messages', { chatId: message.chatId });
  }

  async deleteForEveryone(message: Message): Promise<void> {
    if (message.serverId === undefined) return;
    await this.secure.send(message.chatId, Uint8Array.of(0), 'deleteMessage', message.serverId);
    message.text = 'This message was deleted';
    message.deleted = true;
    await this.history.save(message);
    this.events.emit('messages', { chatId: message.chatId });
  }

  async setDisappearing(peer: string, timer: string): Promise<void> {
    await this.connection.request({ setDisappearing: { peer: uuidToBase64(peer), timer } });
  }

  /** The chat is on screen: its messages are read (receipts go to their senders). */
  async open(chatId: string | undefined): Promise<void> {
    this.openChat = chatId;
    clearInterval(this.presenceTimer);
    const chat = chatId === undefined ? undefined : await this.history.chat(chatId);
    this.groupTicks.watch(chat?.kind === 'group' ? chatId : undefined);
    if (chatId === undefined) return;
    if (chat?.kind === 'direct') this.watchPresence(chatId);
    await this.markRead(chatId);
  }

  async markRead(chatId: string): Promise<void> {
    if (this.openChat !== chatId || document.visibilityState !== 'visible') return;
    const chat = await this.history.chat(chatId);
    const read = await this.history.markRead(chatId);
    this.events.emit('chats', undefined);
    if (read.length === 0 || chat === undefined) return;
    if (chat.kind === 'group') {
      // Read receipts off: no READ to the group's senders (delivered still shows: the server takes it from the ack).
      if (this.groupTicks.readReceiptsOff) return;
      for (let i = 0; i < read.length; i += MAX_RECEIPT_IDS) {
        const ids = read.slice(i, i + MAX_RECEIPT_IDS).map((m) => uuidToBase64(m.serverId!));
        await this.connection.request({ groupReceipt: { groupId: uuidToBase64(chatId), type: 'READ', messageIds: ids } }).catch(() => {});
      }
      return;
    }
    const bySender = new Map<string, string[]>();
    read.forEach((m) => bySender.set(m.from, [...(bySender.get(m.from) ?? []), m.serverId!]));
    for (const [sender, ids] of bySender) {
      for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
        await this.connection.request({ receipt: { toUser: uuidToBase64(sender), type: 'READ',
          messageIds: ids.slice(i, i + MAX_RECEIPT_IDS).map(uuidToBase64) } }).catch(() => {});
      }
    }
  }

  typing(chatId: string, typing: boolean): void {
    void this.history.chat(chatId).then((chat) => {
      if (chat?.kind !== 'direct') return;
      this.connection.request({ typing: { toUser: uuidToBase64(chatId), typing } }).catch(() => {});
    });
  }

  private watchPresence(userId: string): void {
    const subscribe = () => this.connection.request<any>({ subscribePresence: { userId: uuidToBase64(userId) } })
      .then((update) => this.emitPresence(update)).catch(() => {});
    void subscribe();
    clearInterval(this.presenceTimer);
    this.presenceTimer = setInterval(subscribe, PRESENCE_RENEW_MS);
  }

  private emitPresence(update: any): void {
    if (update.userId === undefined) return;
    this.events.emit('presence', { userId: uuidFromBase64(update.userId), online: update.online === true, lastSeenMs: Number(update.lastSeenMs ?? 0) });
  }

  // --- people and settings ---

  async nameOf(userId: string): Promise<string> {
    if (userId === this.self) return 'You';
    const known = this.names.get(userId);
    if (known !== undefined) return known;
    const profile = await this.connection.request<any>({ getProfile: { userId: uuidToBase64(userId) } }).catch(() => ({}));
    const name: string | undefined = profile.profile?.displayName;
    if (name === undefined || name === '') return `user ${userId.slice(0, 8)}`;
    await this.rememberName(userId, name);
    return name;
  }

  private async rememberName(userId: string, name: string): Promise<void> {
    this.names.set(userId, name);
    await this.db.put('kv', Object.fromEntries(this.names), 'names');
  }

  async setProfile(displayName: string, about: string): Promise<void> {
    await this.connection.request({ setProfile: { profile: { displayName, about } } });
  }

  async privacy(): Promise<{ lastSeen: string; readReceiptsOff: boolean }> {
    const p = await this.connection.request<any>({ getPrivacy: {} });
    return { lastSeen: p.lastSeen ?? 'EVERYONE', readReceiptsOff: p.readReceiptsOff === true };
  }

  async setPrivacy(lastSeen: string, readReceiptsOff: boolean): Promise<void> {
    await this.connection.request({ setPrivacy: { privacy: { lastSeen, readReceiptsOff } } });
    this.groupTicks.readReceiptsOff = readReceiptsOff;
  }

  async block(userId: string, blocked: boolean): Promise<void> {
    await this.connection.request({ [blocked ? 'block' : 'unblock']: { userId: uuidToBase64(userId) } });
  }

  async blocked(): Promise<string[]> {
    const list = await this.connection.request<any>({ listBlocked: {} });
    return (list.userIds ?? []).map(uuidFromBase64);
  }

  async linkCode(): Promise<string> {
    const code = await this.connection.request<any>({ createLinkCode: {} });
    return code.code;
  }

  /** Signs this browser out: no more wakes, the connection closed, this device's local data deleted. */
  async signOut(): Promise<void> {
    await this.push.disable().catch(() => {});
    this.connection.stop();
    await this.db.destroy();
  }

  fail(error: unknown): void {
    this.events.emit('error', { text: readable(error) });
  }
}
