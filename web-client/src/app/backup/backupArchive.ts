// What a backup holds before encryption, in the Java SDK's BackupArchive format: gzipped JSON
// {"version":1, "userId", "createdMs", "history":[{messageId, outgoing, peer, text, atMs}],
// "settings":{...}}. The browser adds what its chats need (the sender of group messages, chat
// kinds and titles, contact names) as extra entry fields and "web.*" settings, which the SDK
// carries along and ignores; an SDK backup restores here as direct chats.
import type { Chat, Message } from '../data/history.js';

const VERSION = 1;
/** As the SDK: a hostile blob must not inflate without bound. */
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

export interface BackupEntry {
  messageId: string;
  outgoing: boolean;
  peer: string; // the other party: the peer user, or the group (or broadcast list) for group chats
  text: string;
  atMs: number;
  from?: string; // web client: who sent it (group messages)
  fromDevice?: number;
}

export interface BackupContents {
  userId: string;
  createdMs: number;
  history: BackupEntry[];
  settings: Record<string, unknown>;
}

/** The history entries of a device's messages (notices and deleted messages stay out). */
export function entriesOf(messages: Message[]): BackupEntry[] {
  return messages.filter((m) => !m.notice && !m.deleted && m.tick !== 'failed' && m.tick !== 'pending').map((m) => ({
    messageId: m.serverId ?? m.key, outgoing: m.outgoing, peer: m.chatId, text: m.text, atMs: m.sentMs,
    from: m.from, fromDevice: m.fromDevice,
  }));
}

/** The chats a restore recreates: their kind and title (an SDK backup has none: direct chats). */
export function chatSettings(chats: Chat[]): Record<string, unknown> {
  return { 'web.chats': chats.map((c) => ({ id: c.id, kind: c.kind, title: c.title, timer: c.timer })) };
}

export async function archiveToBytes(contents: BackupContents): Promise<Uint8Array> {
  const json = JSON.stringify({ version: VERSION, userId: contents.userId, createdMs: contents.createdMs,
    history: contents.history, settings: contents.settings });
  return transform(new TextEncoder().encode(json), new CompressionStream('gzip'));
}

export async function archiveFromBytes(bytes: Uint8Array): Promise<BackupContents> {
  const inflated = await transform(bytes, new DecompressionStream('gzip'), MAX_INFLATED_BYTES);
  const root = JSON.parse(new TextDecoder().decode(inflated));
  if (root.version !== VERSION) throw new Error(`backup version ${root.version} is not one this client reads`);
  if (typeof root.userId !== 'string') throw new Error('the backup names no account');
  const history: BackupEntry[] = (root.history ?? []).map((e: any) => {
    if (typeof e.messageId !== 'string' || typeof e.peer !== 'string' || typeof e.text !== 'string') {
      throw new Error('the backup has a malformed history entry');
    }
    return { messageId: e.messageId, outgoing: e.outgoing === true, peer: e.peer, text: e.text, atMs: Number(e.atMs ?? 0),
      ...(typeof e.from === 'string' ? { from: e.from } : {}), ...(typeof e.fromDevice === 'number' ? { fromDevice: e.fromDevice } : {}) };
  });
  return { userId: root.userId, createdMs: Number(root.createdMs ?? 0), history, settings: root.settings ?? {} };
}

async function transform(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  void writer.write(input as Uint8Array<ArrayBuffer>).then(() => writer.close()).catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`the backup inflates to more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
