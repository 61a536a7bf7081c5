// The server's group notices (SYSTEM envelopes with content type 71, a GroupNotice): what changed
// and by whom, read into a line for the chat ("Alice changed the group name to …"), and the
// group state every notice carries (subject, description, revision), applied to the local chat
// only when newer than what the chat already has (replays and out-of-order pushes change nothing).
import { fromBase64, toBase64 } from '../signal/index.js';
import { decodeProtoList } from '../signal/protobuf.js';
import type { Chat } from './data/history.js';
import { uuidFromBase64 } from './net/ids.js';

export enum NoticeKind {
  CREATED = 0,
  MEMBERS_ADDED = 1,
  MEMBERS_REMOVED = 2,
  MEMBER_LEFT = 3,
  ADMINS_ADDED = 4,
  ADMINS_REMOVED = 5,
  INFO_CHANGED = 6,
  SETTINGS_CHANGED = 7,
  JOINED_BY_LINK = 8,
  JOIN_REQUESTED = 9,
  JOIN_REJECTED = 10,
  INVITE_CHANGED = 11,
}

export interface GroupNotice {
  kind: NoticeKind;
  groupId: string;
  actor?: string;
  users: string[];
  revision: number;
  subject: string;
  description: string;
  avatarRef: string;
  announcementOnly: boolean;
  adminsEditInfo: boolean;
}

const SCHEMA = { 1: 'uint32', 2: 'bytes', 3: 'bytes', 4: 'bytes', 5: 'uint32', 6: 'bytes', 7: 'bytes', 8: 'bytes', 9: 'uint32', 10: 'uint32' } as const;
const text = new TextDecoder();

/** A GroupNotice from an envelope's base64 content; undefined when it is not one. */
export function readGroupNotice(content: string): GroupNotice | undefined {
  let fields: Array<[number, number | Uint8Array]>;
  try {
    fields = decodeProtoList(fromBase64(content), SCHEMA);
  } catch {
    return undefined;
  }
  const notice: GroupNotice = { kind: NoticeKind.CREATED, groupId: '', users: [], revision: 0, subject: '', description: '',
    avatarRef: '', announcementOnly: false, adminsEditInfo: false };
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      if (field === 1) notice.kind = value;
      else if (field === 5) notice.revision = value;
      else if (field === 9) notice.announcementOnly = value !== 0;
      else if (field === 10) notice.adminsEditInfo = value === 1;
    } else if (field === 2 || field === 3 || field === 4) {
      if (value.length !== 16) continue;
      const id = uuidFromBase64(toBase64(value));
      if (field === 2) notice.groupId = id;
      else if (field === 3) notice.actor = id;
      else notice.users.push(id);
    } else if (field === 6) notice.subject = text.decode(value);
    else if (field === 7) notice.description = text.decode(value);
    else if (field === 8) notice.avatarRef = text.decode(value);
  }
  return notice.groupId === '' ? undefined : notice;
}

/**
 * Applies a notice to its chat: the group's state when the notice is newer, and this user's own
 * standing (a pending join that was approved or refused, removed, left). Returns the chat's line.
 */
export async function applyGroupNotice(notice: GroupNotice, chat: Chat, self: string, nameOf: (user: string) => Promise<string>): Promise<string> {
  const line = await describe(notice, chat, self, nameOf);
  if (notice.revision >= (chat.revision ?? 0)) {
    chat.revision = notice.revision;
    if (notice.subject !== '') chat.title = notice.subject;
    chat.description = notice.description;
  }
  const aboutMe = notice.users.includes(self);
  if ((notice.kind === NoticeKind.JOINED_BY_LINK || notice.kind === NoticeKind.MEMBERS_ADDED) && aboutMe) delete chat.membership;
  else if (notice.kind === NoticeKind.JOIN_REJECTED && aboutMe) chat.membership = 'refused';
  else if (notice.kind === NoticeKind.MEMBERS_REMOVED && aboutMe) chat.membership = 'removed';
  else if (notice.kind === NoticeKind.MEMBER_LEFT && notice.actor === self) chat.membership = 'left';
  return line;
}

async function describe(notice: GroupNotice, chat: Chat, self: string, nameOf: (user: string) => Promise<string>): Promise<string> {
  const actor = notice.actor === undefined ? 'Someone' : await nameOf(notice.actor);
  const users = (await Promise.all(notice.users.map(nameOf))).join(', ') || 'nobody';
  switch (notice.kind) {
    case NoticeKind.CREATED:
      return `${actor} created the group "${notice.subject}"`;
    case NoticeKind.MEMBERS_ADDED:
      return `${actor} added ${users}`;
    case NoticeKind.MEMBERS_REMOVED:
      return `${actor} removed ${users}`;
    case NoticeKind.MEMBER_LEFT:
      return `${actor} left`;
    case NoticeKind.ADMINS_ADDED:
      return `${actor} made ${users} ${notice.users.length === 1 ? 'an admin' : 'admins'}`;
    case NoticeKind.ADMINS_REMOVED:
      return `${actor} dismissed ${users} as admin`;
    case NoticeKind.INFO_CHANGED:
      return infoLine(notice, chat, actor);
    case NoticeKind.SETTINGS_CHANGED:
      return `${actor} changed the settings: ${notice.announcementOnly ? 'only admins' : 'all members'} can send messages, `
        + `${notice.adminsEditInfo ? 'only admins' : 'all members'} can edit the group info`;
    case NoticeKind.JOINED_BY_LINK:
      return notice.actor !== undefined && notice.users.includes(notice.actor) ? `${users} joined using the invite link`
        : `${actor} approved ${users === 'You' ? 'your' : `${users}'s`} request to join`;
    case NoticeKind.JOIN_REQUESTED:
      return `${users} asked to join. Admins approve or reject in Group info.`;
    case NoticeKind.JOIN_REJECTED:
      return notice.users.includes(self) ? `Your request to join "${notice.subject}" was declined by an admin.`
        : `${actor} declined ${users}'s request to join`;
    case NoticeKind.INVITE_CHANGED:
      return `${actor} reset the invite link`;
    default:
      return `${actor} changed the group`;
  }
}

/** What an info change changed, against the chat's state before it (older replays say only "changed"). */
function infoLine(notice: GroupNotice, chat: Chat, actor: string): string {
  const newer = notice.revision > (chat.revision ?? 0);
  if (newer && notice.subject !== chat.title) return `${actor} changed the group name to "${notice.subject}"`;
  if (newer && notice.description !== (chat.description ?? '')) {
    return notice.description === '' ? `${actor} removed the group description` : `${actor} changed the group description`;
  }
  return `${actor} changed the group info`;
}
