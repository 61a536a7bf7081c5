// Backup and restore of this device's history and chats: the archive is made and encrypted here
// (the passphrase never leaves the browser), stored on the node, and merged back on a device of
// the same account (a new browser linked to it), skipping messages already there by id.
import type { ParleyApp } from '../client.js';
import type { Chat, Message } from '../data/history.js';
import { ParleyError } from '../net/failure.js';
import { archiveFromBytes, archiveToBytes, chatSettings, entriesOf } from './backupArchive.js';
import { downloadBackup, uploadBackup } from './backupApi.js';
import { decryptBackup, encryptBackup, WrongPassphraseError } from './backupCipher.js';

/** As the SDK's command line. */
export const MIN_PASSPHRASE = 8;

export async function backUp(app: ParleyApp, passphrase: string, onProgress?: (f: number) => void): Promise<{ messages: number; bytes: number }> {
  if (passphrase.length < MIN_PASSPHRASE) throw new ParleyError(400, `the passphrase must have at least ${MIN_PASSPHRASE} characters`);
  const chats = await app.history.chats();
  const messages: Message[] = [];
  for (const chat of chats) messages.push(...(await app.history.messages(chat.id)));
  const history = entriesOf(messages);
  const names = (await app.db.get<Record<string, string>>('kv', 'names')) ?? {};
  const plaintext = await archiveToBytes({ userId: app.self, createdMs: Date.now(), history,
    settings: { ...chatSettings(chats), 'web.names': names } });
  const bytes = await uploadBackup(app.account.credentials, await encryptBackup(passphrase, plaintext, undefined, onProgress));
  return { messages: history.length, bytes };
}

export async function restore(app: ParleyApp, passphrase: string, onProgress?: (f: number) => void): Promise<{ added: number }> {
  const blob = await downloadBackup(app.account.credentials);
  let plaintext: Uint8Array;
  try {
    plaintext = await decryptBackup(passphrase, blob, onProgress);
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw new ParleyError(403, e.message);
    throw e;
  }
  const archive = await archiveFromBytes(plaintext);
  if (archive.userId !== app.self) throw new ParleyError(403, `this backup belongs to account ${archive.userId}, not ${app.self}`);
  const chats = new Map<string, { kind: Chat['kind']; title: string; timer?: string }>();
  for (const c of (archive.settings['web.chats'] as any[] | undefined) ?? []) chats.set(String(c.id), c);
  const names = (archive.settings['web.names'] as Record<string, string> | undefined) ?? {};
  const known = (await app.db.get<Record<string, string>>('kv', 'names')) ?? {};
  await app.db.put('kv', { ...names, ...known }, 'names');
  let added = 0;
  for (const entry of archive.history) {
    if ((await app.history.message(entry.messageId)) !== undefined || (await app.history.byServerId(entry.messageId)) !== undefined) continue;
    const saved = chats.get(entry.peer);
    const chat = await app.history.ensureChat(entry.peer, saved?.kind ?? 'direct', saved?.title ?? names[entry.peer] ?? `user ${entry.peer.slice(0, 8)}`);
    if (saved?.timer !== undefined && chat.timer === undefined) await app.history.saveChat({ ...chat, timer: saved.timer });
    await app.history.add({ key: entry.messageId, chatId: entry.peer, serverId: entry.messageId,
      from: entry.from ?? (entry.outgoing ? app.self : entry.peer), fromDevice: entry.fromDevice ?? 0,
      outgoing: entry.outgoing, text: entry.text, sentMs: entry.atMs, read: true, ...(entry.outgoing ? { tick: 'sent' as const } : {}) }, true);
    added++;
  }
  app.events.emit('chats', undefined);
  return { added };
}
