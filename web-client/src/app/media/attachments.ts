// Files as end-to-end encrypted attachments for the app: refuses a file over its kind's cap before
// anything is read or uploaded, seals it (attachmentCipher), uploads it (MediaApi) and makes the
// pointer the message carries; on the other side downloads, checks and opens a pointer once and
// keeps the result for the page's life. Also sends the PLAYED receipt of a voice note.
import { toBase64 } from '../../signal/bytes.js';
import type { History, Message } from '../data/history.js';
import type { EventHub } from '../events.js';
import type { Connection } from '../net/connection.js';
import { ParleyError } from '../net/failure.js';
import { uuidToBase64 } from '../net/ids.js';
import { openAttachment, sealAttachment, sealedSize } from './attachmentCipher.js';
import type { AttachmentPointer, MediaKind } from './content.js';
import { MediaApi } from './mediaApi.js';

const MIB = 1024 * 1024;
/**
 * The node's default caps (media.maxMegabytes.*, of the sealed bytes), checked before upload so a
 * file that cannot go is refused at once; a node configured lower still answers 413 to the
 * reservation, also before any byte is sent.
 */
export const CAPS: Record<MediaKind, number> = { image: 16 * MIB, video: 100 * MIB, document: 100 * MIB, voice: 16 * MIB };
/** Opened attachments kept in memory, newest last; older ones are opened again when shown. */
const MAX_OPENED = 200;

const EXTENSIONS: Record<string, MediaKind> = {
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image',
  mp4: 'video', mov: 'video', webm: 'video', ogg: 'voice', opus: 'voice', m4a: 'voice',
};

/** What a file is: by its type when the browser knows it, else by its extension (as the SDK does). */
export function kindOf(name: string, type: string): MediaKind {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  const dot = name.lastIndexOf('.');
  return dot < 0 ? 'document' : EXTENSIONS[name.slice(dot + 1).toLowerCase()] ?? 'document';
}

/** Extras a view made of the file: an image's or video's thumbnail, a voice note's length. */
export interface Extras {
  thumbnail?: Uint8Array;
  durationMs?: number;
}

export class AttachmentService {
  private readonly api: MediaApi;
  private readonly opened = new Map<string, Promise<Blob>>();

  constructor(private readonly connection: Connection, private readonly history: History, private readonly events: EventHub) {
    this.api = new MediaApi(connection);
  }

  /** Refuses, seals and uploads a file; resolves with its pointer. */
  async upload(file: Blob, name: string, kind: MediaKind, extras: Extras = {}): Promise<AttachmentPointer> {
    refuseUnsendable(file, name, kind);
    const sealed = await sealAttachment(new Uint8Array(await file.arrayBuffer()));
    const blobId = await this.api.upload(kind, sealed.sealed, sealed.digest);
    const type = file.type.split(';')[0] ?? '';
    // The sender shows its own file without downloading it again.
    this.keep(blobId, Promise.resolve(new Blob([file], { type })));
    return { blobId, kind, key: sealed.key, digest: sealed.digest, size: sealed.sealed.length, plaintextSize: sealed.plaintextSize,
      fileName: name, contentType: type, ...extras };
  }

  /** The attachment's file: downloaded, checked against its digest and MAC, and decrypted (once). */
  open(pointer: AttachmentPointer): Promise<Blob> {
    const id = toBase64(pointer.blobId);
    const known = this.opened.get(id);
    if (known !== undefined) return known;
    const opening = this.api.download(pointer.blobId)
      .then((sealed) => openAttachment(sealed, pointer.key, pointer.digest))
      .then((plain) => new Blob([plain as Uint8Array<ArrayBuffer>], { type: pointer.contentType }));
    // A failure is not kept: the next render tries again (a 503 may pass; a bad digest fails again).
    opening.catch(() => this.opened.delete(id));
    this.keep(pointer.blobId, opening);
    return opening;
  }

  /** A voice note of someone else was played here: its sender gets a PLAYED receipt, once. */
  async played(message: Message): Promise<void> {
    if (message.outgoing || message.played || message.serverId === undefined) return;
    // Marked before the request so a second play does not send again; stored only once the node took it.
    message.played = true;
    try {
      await this.connection.request({ receipt: { toUser: uuidToBase64(message.from), type: 'PLAYED',
        messageIds: [uuidToBase64(message.serverId)] } });
    } catch (e) {
      message.played = false;
      throw e;
    }
    // The view may hold an older copy (before it was marked read): update the stored one.
    const stored = (await this.history.message(message.key)) ?? message;
    stored.played = true;
    await this.history.save(stored);
    this.events.emit('messages', { chatId: message.chatId });
  }

  private keep(blobId: Uint8Array, file: Promise<Blob>): void {
    this.opened.set(toBase64(blobId), file);
    while (this.opened.size > MAX_OPENED) this.opened.delete(this.opened.keys().next().value!);
  }
}

/** Throws the refusal of a file that cannot be sent (empty, or over its kind's cap once sealed), before any work. */
export function refuseUnsendable(file: Blob, name: string, kind: MediaKind): void {
  const cap = CAPS[kind];
  if (file.size === 0) throw new ParleyError(400, `${name} is empty. Nothing was sent.`);
  if (sealedSize(file.size) > cap) {
    throw new ParleyError(413, `${name} is ${megabytes(file.size)} MiB, over the ${megabytes(cap)} MiB limit for ${kind} attachments. Nothing was uploaded.`);
  }
}

export function megabytes(bytes: number): string {
  return (bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0);
}
