// Profile, privacy (last seen audience, read receipts), linking a companion device (its code as a
// QR code and as text), the account's devices, backup (backup.ts), notifications and signing out
// (notifications.ts).
import QRCode from 'qrcode';
import type { ParleyApp } from '../client.js';
import { readable } from '../net/failure.js';
import { h } from './dom.js';
import { notificationsSection } from './notifications.js';
import { backupSection } from './backup.js';

export async function settingsView(app: ParleyApp, back: () => void): Promise<HTMLElement> {
  const error = h('p', { class: 'error' });
  const saved = h('span', { class: 'hint' });
  const displayName = h('input', { placeholder: 'display name', value: app.account.username, 'data-test': 'display-name' });
  const about = h('input', { placeholder: 'about' });
  const privacy = await app.privacy().catch(() => ({ lastSeen: 'EVERYONE', readReceiptsOff: false }));
  const lastSeen = h('select', { 'data-test': 'last-seen' }, ...['EVERYONE', 'CONTACTS', 'NOBODY'].map((v) =>
    h('option', { value: v, selected: v === privacy.lastSeen }, `Last seen: ${v.toLowerCase()}`)));
  const receipts = h('input', { type: 'checkbox', checked: !privacy.readReceiptsOff });
  const code = h('code', { 'data-test': 'link-code' });
  const qr = h('img', { class: 'link-qr', 'data-test': 'link-qr', alt: 'QR code of the link code', hidden: true });
  const run = (work: () => Promise<void>) => async () => {
    error.textContent = '';
    try {
      await work();
      saved.textContent = 'Saved';
    } catch (e) {
      error.textContent = readable(e);
    }
  };
  return h('section', { class: 'panel', 'data-test': 'settings-panel' },
    h('header', {}, h('button', { onclick: back }, '←'), h('b', {}, 'Settings')),
    h('h3', {}, 'Profile'), displayName, about,
    h('button', { onclick: run(() => app.setProfile(displayName.value, about.value)) }, 'Save profile'),
    h('h3', {}, 'Privacy'), lastSeen, h('label', {}, receipts, ' Send and receive read receipts'),
    h('button', { onclick: run(() => app.setPrivacy(lastSeen.value, !receipts.checked)) }, 'Save privacy'),
    h('h3', {}, 'Link a device'),
    h('p', { class: 'hint' }, 'On the other device scan the QR code, or in the other browser choose "Link to an existing account" and enter the code next to it (valid 10 minutes, once).'),
    h('button', { 'data-test': 'create-link-code', onclick: run(async () => {
      const value = await app.linkCode();
      qr.src = await QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
      qr.hidden = false;
      code.textContent = value;
    }) }, 'Show a link code'), h('div', { class: 'link-box' }, qr, code),
    backupSection(app),
    await notificationsSection(app),
    saved, error);
}
