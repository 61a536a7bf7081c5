// The settings section for encrypted backup: a passphrase, "Back up" (history and chats,
// encrypted in this browser, stored on the node) and "Restore" (on a browser linked to the same
// account). A wrong passphrase is refused and changes nothing. The backup code (Argon2id) loads
// only when used, so the app's first paint does not carry it.
import type { ParleyApp } from '../client.js';
import { readable } from '../net/failure.js';
import { h } from './dom.js';

export function backupSection(app: ParleyApp): HTMLElement {
  const passphrase = h('input', { type: 'password', placeholder: 'backup passphrase (8 characters or more)',
    autocomplete: 'new-password', 'data-test': 'backup-passphrase' });
  const status = h('span', { class: 'hint', 'data-test': 'backup-status' });
  const error = h('p', { class: 'error', role: 'alert', 'data-test': 'backup-error' });
  const buttons: HTMLButtonElement[] = [];
  const progress = (verb: string) => (fraction: number) => (status.textContent = `${verb} the key… ${Math.round(fraction * 100)} %`);
  const run = (work: () => Promise<string>) => async () => {
    error.textContent = '';
    buttons.forEach((b) => (b.disabled = true));
    try {
      status.textContent = 'Working…';
      status.textContent = await work();
    } catch (e) {
      status.textContent = '';
      error.textContent = readable(e);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };
  buttons.push(
    h('button', { 'data-test': 'backup', onclick: run(async () => {
      const { backUp } = await import('../backup/backup.js');
      const done = await backUp(app, passphrase.value, progress('Deriving'));
      return `Backed up ${count(done.messages)} (${done.bytes} bytes, encrypted).`;
    }) }, 'Back up'),
    h('button', { 'data-test': 'restore', onclick: run(async () => {
      const { restore } = await import('../backup/backup.js');
      const done = await restore(app, passphrase.value, progress('Deriving'));
      return `Restored ${count(done.added)}.`;
    }) }, 'Restore'));
  return h('div', { 'data-test': 'backup-section' },
    h('h3', {}, 'Backup'),
    h('p', { class: 'hint' }, 'Your chats, encrypted here with your passphrase; the server cannot read them. Without the passphrase they cannot be restored.'),
    passphrase, ...buttons, status, error);
}

function count(messages: number): string {
  return `${messages} message${messages === 1 ? '' : 's'}`;
}
