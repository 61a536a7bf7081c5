// Status posts from the browser, as the Java SDK's StatusApi makes them: the audience is chosen
// from the contacts list (all, all except some, only some), the text is encrypted once per device
// of every audience user and of this account's other devices with each device's Signal session,
// and the server keeps the copies opaque. A media status carries an image or video uploaded first
// (sealed as any attachment) and names its blob in `blob_ids`, so the node keeps it while the post
// lives. Viewing fetches and decrypts this device's copy once (a Signal message opens only once, so
// the content is kept until the post expires).
import { toBase64 } from '../signal/bytes.js';
import { utf8 } from '../signal/index.js';
import { kindOf, refuseUnsendable, type AttachmentService } from './media/attachments.js';
import { decodeContent, encodeContent, type AttachmentPointer, type MessageContent } from './media/content.js';
import { thumbnailOf } from './media/thumbnail.js';
import type { SecureChannel } from './crypto/secureChannel.js';
import type { Database } from './data/db.js';
import type { Connection } from './net/connection.js';
import { ParleyError } from './net/failure.js';
import { uuidFromBase64, uuidToBase64 } from './net/ids.js';

export type AudienceMode = 'CONTACTS' | 'CONTACTS_EXCEPT' | 'ONLY_SHARE_WITH';

export interface Audience {
  mode: AudienceMode;
  /** The contacts left out (CONTACTS_EXCEPT) or chosen (ONLY_SHARE_WITH). */
  users: string[];
}

export interface StatusPost {
  postId: string;
  poster: string;
  posterDevice: number;
  postedAtMs: number;
  expiresAtMs: number;
  viewed: boolean;
}

export interface Contact {
  userId: string;
  name: string;
}

/** Below the server's 8 KiB per copy, with room for the Signal message around the content. */
export const MAX_STATUS_TEXT_BYTES = 6 * 1024;
const TEXTS_KEY = 'statusTexts';

/** The file a media status shows, as picked. */
export interface StatusMedia {
  file: Blob;
  name: string;
}

/** What this device keeps of a post until it expires (the pointer holds the media's key). */
interface Kept {
  text: string;
  attachments?: AttachmentPointer[];
  expiresAtMs: number;
  audience?: string;
}

/**
 * Throws the refusal of a file a status cannot show: only an image or a video, under its kind's cap
 * (checked before anything is read or uploaded).
 */
export function refuseStatusMedia(media: StatusMedia): 'image' | 'video' {
  const kind = kindOf(media.name, media.file.type);
  if (kind !== 'image' && kind !== 'video') {
    throw new ParleyError(400, `a status shows an image or a video; ${media.name} is a ${kind}. Nothing was posted.`);
  }
  refuseUnsendable(media.file, media.name, kind);
  return kind;
}

/**
 * The plaintext of a post: 0x00 ‖ MessageContent with the pointer when there is media. The preview
 * is dropped when it would push a copy over the server's size (the media itself still goes).
 */
export function statusPlaintext(text: string, attachments: AttachmentPointer[]): Uint8Array {
  const full = encodeContent({ text, attachments });
  if (full.length <= MAX_STATUS_TEXT_BYTES || attachments.every((a) => a.thumbnail === undefined)) return full;
  return encodeContent({ text, attachments: attachments.map(({ thumbnail: _dropped, ...rest }) => rest) });
}

export function inAudience(audience: Audience, contact: string): boolean {
  switch (audience.mode) {
    case 'CONTACTS': return true;
    case 'CONTACTS_EXCEPT': return !audience.users.includes(contact);
    case 'ONLY_SHARE_WITH': return audience.users.includes(contact);
  }
}

/** The posts still visible at `nowMs` (the server sweeps expired ones; the list on screen may be older). */
export function livePosts(posts: StatusPost[], nowMs: number): StatusPost[] {
  return posts.filter((p) => p.expiresAtMs > nowMs);
}

function toPost(s: any): StatusPost {
  return {
    postId: uuidFromBase64(s.postId), poster: uuidFromBase64(s.poster), posterDevice: Number(s.posterDevice ?? 0),
    postedAtMs: Number(s.postedAtMs ?? 0), expiresAtMs: Number(s.expiresAtMs ?? 0), viewed: s.viewed === true,
  };
}

export class StatusBook {
  constructor(
    private readonly connection: Connection,
    private readonly secure: SecureChannel,
    private readonly db: Database,
    private readonly attachments: AttachmentService,
  ) {}

  async contacts(): Promise<Contact[]> {
    const list = await this.connection.request<any>({ listContacts: {} });
    return (list.contacts ?? []).map((c: any) => ({ userId: uuidFromBase64(c.userId), name: c.displayName || c.username || 'someone' }));
  }

  /**
   * Posts a status: text, or an image or video with the text as its caption. 400 without either or
   * without audience, 413 when the text or the file is too large; all checked before any upload.
   */
  async post(text: string, audience: Audience, media?: StatusMedia): Promise<StatusPost> {
    if (text.trim() === '' && media === undefined) throw new ParleyError(400, 'a status needs some text, or a photo or video');
    const kind = media === undefined ? undefined : refuseStatusMedia(media);
    const caption = utf8(text);
    if (caption.length > MAX_STATUS_TEXT_BYTES) {
      throw new ParleyError(413, `the status is ${Math.ceil(caption.length / 1024)} KiB; the limit is ${MAX_STATUS_TEXT_BYTES / 1024} KiB. Nothing was posted.`);
    }
    if (audience.mode === 'ONLY_SHARE_WITH' && audience.users.length === 0) {
      throw new ParleyError(400, 'choose at least one contact to share this status with');
    }
    const users = (await this.contacts()).map((c) => c.userId).filter((u) => inAudience(audience, u));
    users.push(this.secure.self);
    const attachments = media === undefined || kind === undefined ? []
      : [await this.attachments.upload(media.file, media.name, kind, await thumbnailOf(media.file, kind))];
    const plaintext = statusPlaintext(text, attachments);
    if (plaintext.length > MAX_STATUS_TEXT_BYTES) {
      throw new ParleyError(413, `the caption and the file's details make ${Math.ceil(plaintext.length / 1024)} KiB; the limit is ${MAX_STATUS_TEXT_BYTES / 1024} KiB. Nothing was posted.`);
    }
    const copies = [];
    for (const user of users) copies.push(...(await this.copiesFor(user, plaintext)));
    if (copies.length === 0) throw new ParleyError(400, 'nobody to show this status to: the audience is empty');
    const blobIds = attachments.map((a) => toBase64(a.blobId));
    const posted = await this.connection.request<any>({ postStatus: { copies, ...(blobIds.length === 0 ? {} : { blobIds }) } });
    const post: StatusPost = { postId: uuidFromBase64(posted.postId), poster: this.secure.self, posterDevice: this.secure.selfDevice,
      postedAtMs: Number(posted.postedAtMs ?? Date.now()), expiresAtMs: Number(posted.expiresAtMs ?? 0), viewed: true };
    await this.keep(post, decodeContent(plaintext), await this.describe(audience));
    return post;
  }

  /** "Only shared with Bob", for the poster's own list (the server does not know the audience). */
  private async describe(audience: Audience): Promise<string> {
    if (audience.mode === 'CONTACTS') return 'Shared with my contacts';
    const names = (await this.contacts()).filter((c) => audience.users.includes(c.userId)).map((c) => c.name).join(', ');
    return audience.mode === 'CONTACTS_EXCEPT' ? `Shared with my contacts except ${names}` : `Only shared with ${names}`;
  }

  /** Who a post of this device was shared with, when this device posted it. */
  async audienceOf(postId: string): Promise<string | undefined> {
    return (await this.texts())[postId]?.audience;
  }

  /** One copy per device of the user with published keys (this device excluded); none for a user who refuses. */
  private async copiesFor(user: string, plaintext: Uint8Array) {
    let devices: number[];
    try {
      const keys = await this.connection.request<any>({ getIdentityKeys: { userId: uuidToBase64(user) } });
      devices = (keys.devices ?? []).map((d: any) => Number(d.deviceId ?? 0));
    } catch (e) {
      // A contact without keys, who blocked us, or who is gone simply does not get the post (as in the SDK).
      if (e instanceof ParleyError && e.code < 500) return [];
      throw e;
    }
    const copies = [];
    for (const device of devices) {
      if (user === this.secure.self && device === this.secure.selfDevice) continue;
      copies.push(await this.secure.sealFor(user, device, plaintext));
    }
    return copies;
  }

  /** The live posts this device may see, its own included, newest first. */
  async list(): Promise<StatusPost[]> {
    const list = await this.connection.request<any>({ listStatus: {} });
    const posts = livePosts((list.posts ?? []).map(toPost), Date.now());
    await this.forgetExpired(new Set(posts.map((p) => p.postId)));
    return posts;
  }

  /**
   * The content of a post (caption and media pointers): from this device's copy the first time
   * (that records the view), then as kept. The media is opened with the AttachmentService.
   */
  async view(post: StatusPost): Promise<MessageContent> {
    const kept = (await this.texts())[post.postId];
    if (kept !== undefined) {
      // Seen again: the server still hears of the view (its viewers list keeps the first one).
      if (post.poster !== this.secure.self) await this.connection.request({ viewStatus: { postId: uuidToBase64(post.postId) } }).catch(() => {});
      return { text: kept.text, attachments: kept.attachments ?? [] };
    }
    const view = await this.connection.request<any>({ viewStatus: { postId: uuidToBase64(post.postId) } });
    const plaintext = await this.secure.open({ senderUser: view.post?.poster, senderDevice: view.post?.posterDevice,
      contentType: view.contentType, content: view.content, messageId: uuidToBase64(post.postId) });
    const content = decodeContent(plaintext);
    await this.keep(post, content);
    return content;
  }

  /** The text of a post this device posted or already opened. */
  async keptText(postId: string): Promise<string | undefined> {
    return (await this.texts())[postId]?.text;
  }

  async viewers(postId: string): Promise<{ userId: string; viewedAtMs: number }[]> {
    const answer = await this.connection.request<any>({ statusViewers: { postId: uuidToBase64(postId) } });
    return (answer.viewers ?? []).map((v: any) => ({ userId: uuidFromBase64(v.userId), viewedAtMs: Number(v.viewedAtMs ?? 0) }));
  }

  async delete(postId: string): Promise<void> {
    await this.connection.request({ deleteStatus: { postId: uuidToBase64(postId) } });
    const texts = await this.texts();
    delete texts[postId];
    await this.db.put('kv', texts, TEXTS_KEY);
  }

  private async texts(): Promise<Record<string, Kept>> {
    return (await this.db.get<Record<string, Kept>>('kv', TEXTS_KEY)) ?? {};
  }

  private async keep(post: StatusPost, content: MessageContent, audience?: string): Promise<void> {
    const texts = await this.texts();
    texts[post.postId] = { text: content.text, expiresAtMs: post.expiresAtMs,
      ...(content.attachments.length === 0 ? {} : { attachments: content.attachments }), ...(audience === undefined ? {} : { audience }) };
    await this.db.put('kv', texts, TEXTS_KEY);
  }

  /** Nothing of a post is kept past its life: texts of posts the server no longer lists go. */
  private async forgetExpired(live: Set<string>): Promise<void> {
    const texts = await this.texts();
    const gone = Object.keys(texts).filter((id) => !live.has(id) || texts[id]!.expiresAtMs <= Date.now());
    if (gone.length === 0) return;
    gone.forEach((id) => delete texts[id]);
    await this.db.put('kv', texts, TEXTS_KEY);
  }
}
