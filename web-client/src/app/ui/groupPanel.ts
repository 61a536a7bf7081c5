// A group's members and admin actions: add, remove, promote, demote, invite link, leave.
import type { ParleyApp } from '../client.js';
import { readable } from '../net/failure.js';
import { clear, h } from './dom.js';

export async function groupPanel(app: ParleyApp, groupId: string, back: () => void): Promise<HTMLElement> {
  const members = h('ul', { class: 'members', 'data-test': 'members' });
  const error = h('p', { class: 'error' });
  const invite = h('code', { 'data-test': 'invite-code' });
  const who = h('input', { placeholder: 'username', 'data-test': 'member-username' });

  const render = async () => {
    const group = await app.groupInfo(groupId);
    const rows = [];
    for (const m of group.members) {
      rows.push(h('li', { 'data-test': 'member' }, await app.nameOf(m.userId), m.admin ? h('span', { class: 'admin' }, ' admin') : '',
        ` · ${m.deviceIds.length} device${m.deviceIds.length === 1 ? '' : 's'}`));
    }
    clear(members, ...rows);
  };
  const act = (action: 'ADD' | 'REMOVE' | 'PROMOTE' | 'DEMOTE') => async () => {
    error.textContent = '';
    try {
      await app.changeMembers(groupId, action, who.value);
      await render();
    } catch (e) {
      error.textContent = readable(e);
    }
  };
  await render().catch((e) => (error.textContent = readable(e)));
  return h('section', { class: 'panel', 'data-test': 'group-panel' },
    h('header', {}, h('button', { onclick: back }, '←'), h('b', {}, 'Group info')),
    members,
    h('div', { class: 'row' }, who, h('button', { 'data-test': 'add-member', onclick: act('ADD') }, 'Add'),
      h('button', { onclick: act('REMOVE') }, 'Remove'), h('button', { onclick: act('PROMOTE') }, 'Make admin'), h('button', { onclick: act('DEMOTE') }, 'Dismiss admin')),
    h('div', { class: 'row' }, h('button', { 'data-test': 'create-invite', onclick: async () => {
      try {
        invite.textContent = await app.createInvite(groupId);
      } catch (e) {
        error.textContent = readable(e);
      }
    } }, 'Invite link'), invite),
    h('button', { class: 'danger', onclick: async () => {
      try {
        await app.leaveGroup(groupId);
        back();
      } catch (e) {
        error.textContent = readable(e);
      }
    } }, 'Leave group'),
    error);
}
