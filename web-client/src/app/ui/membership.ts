// What a group chat says when this user is not (or not yet) a member of it.
import type { Chat } from '../data/history.js';

const TEXTS: Record<NonNullable<Chat['membership']>, string> = {
  pending: 'waiting for an admin to approve your request',
  refused: 'your request to join was declined',
  removed: 'you were removed from this group',
  left: 'you left this group',
};

export function membershipText(chat: Chat): string {
  return chat.kind === 'group' && chat.membership !== undefined ? TEXTS[chat.membership] : '';
}
