// The first screen of a device without credentials: register a new account (username, code
// from the server's verification sender, done) or link this browser to an account as a
// companion device with the code shown on the primary.
import type { Account } from '../client.js';
import { readable } from '../net/failure.js';
import { link, register, requestCode, type DeviceCredentials } from '../net/http.js';
import { uuidFromBase64 } from '../net/ids.js';
import { h } from './dom.js';

export function welcomeView(onAccount: (account: Account, displayName?: string) => void): HTMLElement {
  const error = h('p', { class: 'error', 'data-test': 'welcome-error', role: 'alert' });
  const show = (e: unknown) => (error.textContent = readable(e));
  const username = h('input', { name: 'username', placeholder: 'username (3–32 of a-z 0-9 _ .)', autocomplete: 'username' });
  const code = h('input', { name: 'code', placeholder: '6-digit code', inputmode: 'numeric', disabled: true });
  const hint = h('p', { class: 'hint' });
  const finish = async (credentials: DeviceCredentials, name: string, displayName?: string) =>
    onAccount({ credentials, username: name, userId: uuidFromBase64(credentials.userId) }, displayName);

  const askCode = h('button', { type: 'button', 'data-test': 'request-code', onclick: async () => {
    error.textContent = '';
    try {
      await requestCode(username.value.trim().toLowerCase());
      code.disabled = false;
      code.focus();
      hint.textContent = 'A code was sent through the server\'s verification sender (on a node started with ./parley start: the node\'s log or data/verification-codes.txt).';
    } catch (e) {
      show(e);
    }
  } }, 'Send code');
  const registerButton = h('button', { type: 'submit', 'data-test': 'register' }, 'Register');
  const registerForm = h('form', { class: 'card', onsubmit: async (e: Event) => {
    e.preventDefault();
    error.textContent = '';
    const name = username.value.trim().toLowerCase();
    try {
      await finish(await register(name, code.value.trim(), deviceName()), name, name);
    } catch (err) {
      show(err);
    }
  } }, h('h2', {}, 'Create an account'), username, askCode, code, registerButton, hint);

  const linkCode = h('input', { name: 'link-code', placeholder: 'code shown on your primary device' });
  const linkName = h('input', { name: 'link-username', placeholder: 'your username (to show it here)' });
  const linkForm = h('form', { class: 'card', onsubmit: async (e: Event) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await finish(await link(linkCode.value.trim(), deviceName()), linkName.value.trim().toLowerCase());
    } catch (err) {
      show(err);
    }
  } }, h('h2', {}, 'Link to an existing account'), linkCode, linkName, h('button', { type: 'submit', 'data-test': 'link' }, 'Link this browser'));

  return h('main', { class: 'welcome' }, h('h1', {}, 'Parley'), h('p', {}, 'End-to-end encrypted messaging.'), registerForm, linkForm, error);
}

function deviceName(): string {
  const agent = navigator.userAgent;
  const browser = /Firefox/.test(agent) ? 'Firefox' : /Chrom/.test(agent) ? 'Chromium' : /Safari/.test(agent) ? 'Safari' : 'Browser';
  return `${browser} (web)`;
}
