// The editable parts of group info: name and description (for whoever the settings allow), and
// the admins' settings (announcement-only, who edits the info). Saving sends update_group; the
// notice the server then sends every member renames the chat and writes the line in it.
import type { ParleyApp } from '../client.js';
import type { GroupInfo } from '../crypto/groupChannel.js';
import { h } from './dom.js';

export function groupInfoForm(app: ParleyApp, group: GroupInfo, editable: boolean, fail: (e: unknown) => void, saved: HTMLElement): HTMLElement {
  const subject = h('input', { value: group.subject, 'data-test': 'group-subject', disabled: !editable, maxlength: 100 });
  const description = h('textarea', { rows: 2, placeholder: 'Description', 'data-test': 'group-description', disabled: !editable });
  description.value = group.description;
  const save = async (e: Event) => {
    e.preventDefault();
    saved.textContent = '';
    const change = {
      ...(subject.value.trim() !== group.subject ? { subject: subject.value } : {}),
      ...(description.value.trim() !== group.description ? { description: description.value } : {}),
    };
    try {
      await app.groupActions.updateInfo(group.groupId, change);
      saved.textContent = 'Saved';
    } catch (err) {
      fail(err);
    }
  };
  return h('form', { class: 'group-info', onsubmit: save },
    subject, description,
    editable ? h('div', { class: 'row' }, h('button', { type: 'submit', 'data-test': 'group-save' }, 'Save'), saved)
      : h('p', { class: 'hint' }, 'Only admins edit the name and description of this group.'));
}

export function groupSettingsForm(app: ParleyApp, group: GroupInfo, fail: (e: unknown) => void): HTMLElement {
  const setting = (label: string, test: string, checked: boolean, change: (on: boolean) => object) => {
    const box = h('input', { type: 'checkbox', 'data-test': test, checked });
    box.addEventListener('change', () => app.groupActions.updateSettings(group.groupId, change(box.checked)).catch((e) => {
      box.checked = !box.checked;
      fail(e);
    }));
    return h('label', {}, box, ' ', label);
  };
  return h('div', { class: 'settings', 'data-test': 'group-settings' },
    setting('Only admins send messages', 'announcement-only', group.announcementOnly, (on) => ({ announcementOnly: on })),
    setting('Only admins edit the group info', 'admins-edit-info', group.adminsEditInfo, (on) => ({ adminsEditInfo: on })));
}
