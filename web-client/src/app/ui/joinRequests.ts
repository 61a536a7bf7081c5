// For admins: the people who asked to join by a link that needs approval, each with Approve and
// Reject. The joiner is told either way by the server's notice (in, or a clear refusal).
import type { ParleyApp } from '../client.js';
import type { GroupInfo } from '../crypto/groupChannel.js';
import { h, time } from './dom.js';

export async function joinRequestsView(app: ParleyApp, group: GroupInfo, fail: (e: unknown) => void): Promise<HTMLElement> {
  if (group.pending.length === 0) return h('p', { class: 'hint', 'data-test': 'no-join-requests' }, 'No pending join requests.');
  const rows = [];
  for (const request of group.pending) {
    const name = await app.nameOf(request.userId);
    const decide = (approve: boolean) => () => app.groupActions.resolve(group.groupId, request.userId, approve).catch(fail);
    rows.push(h('li', { 'data-test': 'join-request', 'data-name': name },
      h('span', {}, name, ' ', h('time', {}, time(request.requestedMs))),
      h('span', {}, h('button', { 'data-test': 'approve-join', onclick: decide(true) }, 'Approve'),
        h('button', { class: 'danger', 'data-test': 'reject-join', onclick: decide(false) }, 'Reject'))));
  }
  return h('div', { class: 'join-requests' }, h('h4', {}, 'Waiting for approval'), h('ul', { class: 'members' }, ...rows));
}
