// Status posts from the browser, as the Java SDK's StatusApi makes them: the audience is chosen
// from the contacts list (all, all except some, only some), the text is encrypted once per device
// of every audience user and of this account's other devices with each device's Signal session,
// and the server keeps the copies opaque. Viewing fetches and decrypts this device's copy once
// (a Signal message opens only once, so the text is kept until the post expires).
import { utf8 } from '../signal/index.js';
import { decodeContent } from './media/content.js';
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

/** Below the server's 8 KiB per copy, with room for the Signal message around the text. */
export const MAX_STATUS_TEXT_BYTES = 6 * 1024;
const TEXTS_KEY = 'statusTexts';

/** What this device keeps of a post until it expires. */
interface Kept {
  text: string;
  expiresAtMs: number;
  audience?: string;
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
  ) {}

  async contacts(): Promise<Contact[]> {
    const list = await this.connection.request<any>({ listContacts: {} });
    return (list.contacts ?? []).map((c: any) => ({ userId: uuidFromBase64(c.userId), name: c.displayName || c.username || 'someone' }));
  }

  /** Posts a text status; 400 without text or audience, 413 when too long (nothing is posted). */
  async post(text: string, audience: Audience): Promise<StatusPost> {
    if (text.trim() === '') throw new ParleyError(400, 'a status needs some text (media statuses are not in the web client yet)');
    const plaintext = utf8(text);
    if (plaintext.length > MAX_STATUS_TEXT_BYTES) {
      throw new ParleyError(413, `the status is ${Math.ceil(plaintext.length / 1024)} KiB; the limit is ${MAX_STATUS_TEXT_BYTES / 1024} KiB. Nothing was posted.`);
    }
    if (audience.mode === 'ONLY_SHARE_WITH' && audience.users.length === 0) {
      throw new ParleyError(400, 'choose at least one contact to share this status with');
    }
    const users = (await this.contacts()).map((c) => c.userId).filter((u) => inAudience(audience, u));
    users.push(this.secure.self);
    const copies = [];
    for (const user of users) copies.push(...(await this.copiesFor(user, plaintext)));
    if (copies.length === 0) throw new ParleyError(400, 'nobody to show this status to: the audience is empty');
    const posted = await this.connection.request<any>({ postStatus: { copies } });
    const post: StatusPost = { postId: uuidFromBase64(posted.postId), poster: this.secure.self, posterDevice: this.secure.selfDevice,
      postedAtMs: Number(posted.postedAtMs ?? Date.now()), expiresAtMs: Number(posted.expiresAtMs ?? 0), viewed: true };
    await this.keep(post, text, await this.describe(audience));
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

  /** The text of a post: from this device's copy the first time (that records the view), then as kept. */
  async view(post: StatusPost): Promise<string> {
    const kept = (await this.texts())[post.postId];
    if (kept !== undefined) {
      // Seen again: the server still hears of the view (its viewers list keeps the first one).
      if (post.poster !== this.secure.self) await this.connection.request({ viewStatus: { postId: uuidToBase64(post.postId) } }).catch(() => {});
      return kept.text;
    }
    const view = await this.connection.request<any>({ viewStatus: { postId: uuidToBase64(post.postId) } });
    const plaintext = await this.secure.open({ senderUser: view.post?.poster, senderDevice: view.post?.posterDevice,
      contentType: view.contentType, content: view.content, messageId: uuidToBase64(post.postId) });
    const text = decodeContent(plaintext).text;
    await this.keep(post, text);
    return text;
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

  private async keep(post: StatusPost, text: string, audience?: string): Promise<void> {
    const texts = await this.texts();
    texts[post.postId] = { text, expiresAtMs: post.expiresAtMs, ...(audience === undefined ? {} : { audience }) };
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
