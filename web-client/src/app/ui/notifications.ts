// The settings section for Web Push notifications (a content-free "New message" while this
// browser is not connected) and signing this browser out, which also stops them.
import type { ParleyApp } from '../client.js';
import { WebPush } from '../push/webPush.js';
import { readable } from '../net/failure.js';
import { h } from './dom.js';

export async function notificationsSection(app: ParleyApp): Promise<HTMLElement> {
  const status = h('span', { class: 'hint', 'data-test': 'push-status' });
  const toggle = h('button', { 'data-test': 'push-toggle' });
  let on = await app.push.enabled().catch(() => false);
  const show = () => {
    status.textContent = !WebPush.supported ? 'This browser cannot show notifications.' : on ? 'Notifications are on.' : 'Notifications are off.';
    toggle.textContent = on ? 'Turn off notifications' : 'Turn on notifications';
    toggle.toggleAttribute('disabled', !WebPush.supported);
  };
  toggle.onclick = async () => {
    try {
      if (on) await app.push.disable();
      else await app.push.enable();
      on = !on;
      show();
    } catch (e) {
      show();
      status.textContent = readable(e);
    }
  };
  show();
  const signOut = h('button', { 'data-test': 'sign-out', onclick: async () => {
    if (!window.confirm('Sign out of this browser? Its messages are deleted from it (back them up first).')) return;
    await app.signOut();
    location.reload();
  } }, 'Sign out of this browser');
  return h('div', { 'data-test': 'notifications' },
    h('h3', {}, 'Notifications'),
    h('p', { class: 'hint' }, 'While this browser is not connected, Parley can show "New message", never who or what.'),
    toggle, status,
    h('h3', {}, 'This browser'), signOut);
}
