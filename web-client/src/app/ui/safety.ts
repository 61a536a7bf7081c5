// The safety number screen of one contact: the 60 digits both people compare (in person or on a
// call), and a "verified" mark the user sets once they match; a new identity shows other digits
// and clears the mark.
import type { ParleyApp } from '../client.js';
import { readable } from '../net/failure.js';
import { clear, h } from './dom.js';

export function safetyPanel(app: ParleyApp, peer: string, close: () => void): HTMLElement {
  const digits = h('pre', { class: 'safety-number', 'data-test': 'safety-number' }, 'computing…');
  const mark = h('span', { class: 'verified', 'data-test': 'verified' });
  const toggle = h('input', { type: 'checkbox', 'data-test': 'verify', disabled: true });
  const error = h('p', { class: 'error', 'data-test': 'safety-error' });
  const panel = h('div', { class: 'modal', 'data-test': 'safety-panel' },
    h('div', { class: 'card' },
      h('header', {}, h('b', {}, 'Safety number'), h('button', { 'data-test': 'safety-close', onclick: close }, 'Close')),
      h('p', { class: 'hint' }, 'Compare these digits with your contact\'s screen. If they match, nobody is in the middle.'),
      digits, h('label', {}, toggle, ' Mark as verified '), mark, error));
  const show = (verified: boolean) => (mark.textContent = verified ? '✓ Verified' : 'Not verified');
  void (async () => {
    try {
      const number = await app.safety.with(peer);
      clear(digits, number);
      toggle.disabled = false;
      toggle.checked = await app.safety.isVerified(peer, number);
      show(toggle.checked);
      toggle.addEventListener('change', () => void app.safety.setVerified(peer, number, toggle.checked).then(() => show(toggle.checked)));
    } catch (e) {
      clear(digits);
      error.textContent = readable(e);
    }
  })();
  return panel;
}
