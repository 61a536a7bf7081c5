// Group info: name and description (editable when the settings allow), the admin settings,
// members with the admin actions (add, remove, promote, demote), the invite link (optionally
// with admin approval), pending join requests to approve or reject, and leaving the group.
// It follows the group's notices ('group' events), so what another admin changes shows here too.
import type { ParleyApp } from '../client.js';
import type { GroupInfo } from '../crypto/groupChannel.js';
import { readable } from '../net/failure.js';
import { clear, h } from './dom.js';
import { groupInfoForm, groupSettingsForm } from './groupSettings.js';
import { joinRequestsView } from './joinRequests.js';

export async function groupPanel(app: ParleyApp, groupId: string, back: () => void): Promise<HTMLElement> {
  const error = h('p', { class: 'error', 'data-test': 'group-error' });
  const body = h('div', { class: 'group-body' });
  const fail = (e: unknown) => (error.textContent = readable(e));
  // Made once: a re-render (another member's change) keeps the code just created and "Saved".
  const invite = h('code', { 'data-test': 'invite-code' });
  const approval = h('input', { type: 'checkbox', 'data-test': 'invite-approval' });
  const saved = h('span', { class: 'hint', 'data-test': 'group-saved' });

  const render = async () => {
    let group: GroupInfo;
    try {
      group = await app.groupInfo(groupId);
    } catch (e) {
      fail(e);
      return;
    }
    const me = group.members.find((m) => m.userId === app.self);
    const admin = me?.admin === true;
    const rows = [];
    for (const m of group.members) {
      rows.push(h('li', { 'data-test': 'member' }, await app.nameOf(m.userId), m.admin ? h('span', { class: 'admin' }, ' admin') : '',
        ` · ${m.deviceIds.length} device${m.deviceIds.length === 1 ? '' : 's'}`));
    }
    clear(body,
      groupInfoForm(app, group, admin || !group.adminsEditInfo, fail, saved),
      admin && groupSettingsForm(app, group, fail),
      h('h4', {}, `${group.members.length} member${group.members.length === 1 ? '' : 's'}`),
      h('ul', { class: 'members', 'data-test': 'members' }, ...rows),
      admin && memberTools(app, groupId, fail, render),
      admin && inviteTools(app, groupId, fail, invite, approval),
      admin && (await joinRequestsView(app, group, fail)));
  };

  const off = app.events.on('group', (e) => e.groupId === groupId && void render());
  await render();
  const view = h('section', { class: 'panel', 'data-test': 'group-panel' },
    h('header', {}, h('button', { 'data-test': 'group-back', onclick: back }, '←'), h('b', {}, 'Group info')),
    body,
    h('button', { class: 'danger', 'data-test': 'leave-group', onclick: async () => {
      try {
        await app.groupActions.leave(groupId);
        back();
      } catch (e) {
        fail(e);
      }
    } }, 'Leave group'),
    h('p', { class: 'hint' }, 'A group is deleted when its last member leaves; there is no delete for everyone.'),
    error);
  (view as any).dispose = off;
  return view;
}

function memberTools(app: ParleyApp, groupId: string, fail: (e: unknown) => void, render: () => Promise<void>): HTMLElement {
  const who = h('input', { placeholder: 'username', 'data-test': 'member-username' });
  const act = (action: 'ADD' | 'REMOVE' | 'PROMOTE' | 'DEMOTE') => async () => {
    try {
      await app.changeMembers(groupId, action, who.value);
      await render();
    } catch (e) {
      fail(e);
    }
  };
  return h('div', { class: 'row' }, who, h('button', { 'data-test': 'add-member', onclick: act('ADD') }, 'Add'),
    h('button', { onclick: act('REMOVE') }, 'Remove'), h('button', { onclick: act('PROMOTE') }, 'Make admin'),
    h('button', { onclick: act('DEMOTE') }, 'Dismiss admin'));
}

function inviteTools(app: ParleyApp, groupId: string, fail: (e: unknown) => void, invite: HTMLElement,
  approval: HTMLInputElement): HTMLElement {
  return h('div', { class: 'row' },
    h('label', {}, approval, ' Admins approve new members'),
    h('button', { 'data-test': 'create-invite', onclick: async () => {
      try {
        const created = await app.groupActions.createInvite(groupId, approval.checked);
        invite.textContent = created.code;
        invite.title = created.approvalRequired ? 'joiners wait for an admin to approve' : 'anyone with the code joins';
      } catch (e) {
        fail(e);
      }
    } }, 'Invite link'),
    h('button', { 'data-test': 'revoke-invite', onclick: async () => {
      try {
        await app.groupActions.revokeInvite(groupId);
        invite.textContent = '';
      } catch (e) {
        fail(e);
      }
    } }, 'Revoke'),
    invite);
}
