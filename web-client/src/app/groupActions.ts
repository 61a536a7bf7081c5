// What a member or admin changes in a group beyond its members: name, description and the admin
// settings (update_group), invite links with or without admin approval, join requests (approve or
// reject), joining by link (at once, or pending until an admin decides) and leaving. The server
// answers each change with a notice to every member; the chat's lines and title come from those
// notices (groupNotices.ts), so every member's device, this one included, shows the same thing.
import type { History, Chat } from './data/history.js';
import type { EventHub } from './events.js';
import type { Connection } from './net/connection.js';
import { ParleyError } from './net/failure.js';
import { uuidFromBase64, uuidToBase64 } from './net/ids.js';

const MAX_SUBJECT_CHARS = 100;
const MAX_DESCRIPTION_CHARS = 2_048;
/** The title of a group this user asked to join: the server shows a group to its members only. */
export const PENDING_TITLE = 'Group (waiting for approval)';

export interface InfoChange {
  subject?: string;
  description?: string;
}

export interface SettingsChange {
  announcementOnly?: boolean;
  adminsEditInfo?: boolean;
}

export interface Invite {
  code: string;
  expiresMs: number;
  approvalRequired: boolean;
}

export class GroupActions {
  constructor(
    private readonly connection: Connection,
    private readonly history: History,
    private readonly events: EventHub,
    private readonly ensureGroup: (groupId: string) => Promise<Chat>,
    private readonly notice: (chatId: string, text: string) => Promise<void>,
  ) {}

  /** Renames or re-describes the group; fields left undefined stay as they are. */
  async updateInfo(groupId: string, change: InfoChange): Promise<void> {
    const request: Record<string, unknown> = { groupId: uuidToBase64(groupId) };
    if (change.subject !== undefined) {
      const subject = change.subject.trim();
      if (subject.length < 1 || subject.length > MAX_SUBJECT_CHARS) {
        throw new ParleyError(400, `a group name has 1 to ${MAX_SUBJECT_CHARS} characters`);
      }
      request.subject = subject;
    }
    if (change.description !== undefined) {
      if (change.description.length > MAX_DESCRIPTION_CHARS) {
        throw new ParleyError(400, `a description has at most ${MAX_DESCRIPTION_CHARS} characters`);
      }
      request.description = change.description.trim();
    }
    if (Object.keys(request).length === 1) throw new ParleyError(400, 'nothing to change');
    await this.connection.request({ updateGroup: request });
  }

  /** Admins only: who may send (announcement-only) and who may edit the group's info. */
  async updateSettings(groupId: string, change: SettingsChange): Promise<void> {
    await this.connection.request({ updateGroup: {
      groupId: uuidToBase64(groupId),
      ...(change.announcementOnly === undefined ? {} : { announcementOnly: change.announcementOnly }),
      ...(change.adminsEditInfo === undefined ? {} : { infoEditors: change.adminsEditInfo ? 'ADMINS_ONLY' : 'ALL_MEMBERS' }),
    } });
  }

  /** Admins only: a new link (the earlier one stops working); with approval, joiners wait for an admin. */
  async createInvite(groupId: string, approvalRequired: boolean): Promise<Invite> {
    const invite = await this.connection.request<any>({ createInvite: { groupId: uuidToBase64(groupId), approvalRequired } });
    return { code: invite.code, expiresMs: Number(invite.expiresMs ?? 0), approvalRequired: invite.approvalRequired === true || approvalRequired };
  }

  async revokeInvite(groupId: string): Promise<void> {
    await this.connection.request({ revokeInvite: { groupId: uuidToBase64(groupId) } });
  }

  /** Joins by a code: the group's chat, or a pending one until an admin approves or rejects. */
  async join(code: string): Promise<Chat> {
    if (code.trim() === '') throw new ParleyError(400, 'enter the invite code you were given');
    const answer = await this.connection.request<any>({ joinGroup: { code: code.trim() } });
    const groupId = uuidFromBase64(answer.groupId);
    if (answer.pending !== true) return this.ensureGroup(groupId);
    const chat = await this.history.ensureChat(groupId, 'group', PENDING_TITLE);
    if (chat.membership !== 'pending') {
      chat.membership = 'pending';
      await this.history.saveChat(chat);
      await this.notice(groupId, 'You asked to join. An admin of the group must approve your request.');
    }
    this.events.emit('chats', undefined);
    return chat;
  }

  /** Admins only: lets a pending joiner in, or turns the request down (the joiner is told either way). */
  async resolve(groupId: string, userId: string, approve: boolean): Promise<void> {
    await this.connection.request({ resolveJoin: { groupId: uuidToBase64(groupId), userId: uuidToBase64(userId), approve } });
    this.events.emit('group', { groupId });
  }

  async leave(groupId: string): Promise<void> {
    await this.connection.request({ leaveGroup: { groupId: uuidToBase64(groupId) } });
  }
}
