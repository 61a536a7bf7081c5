// "Message info" of one's own group message, as WhatsApp shows it: who read it and when, who got
// it (delivered), and who has not got it yet, from the server's message_info.
import type { ParleyApp } from '../client.js';
import type { Message } from '../data/history.js';
import type { MemberReceipt } from '../groupTicks.js';
import { readable } from '../net/failure.js';
import { h } from './dom.js';

export async function messageInfoView(app: ParleyApp, message: Message, close: () => void): Promise<HTMLElement> {
  const body = h('div', { class: 'info-body' });
  try {
    const info = await app.groupTicks.info(message.chatId, message.serverId!);
    const read = info.members.filter((m) => m.readMs > 0);
    const delivered = info.members.filter((m) => m.readMs === 0 && m.deliveredMs > 0);
    const waiting = info.members.filter((m) => m.readMs === 0 && m.deliveredMs === 0);
    const section = async (title: string, test: string, members: MemberReceipt[], at: (m: MemberReceipt) => number) => {
      const rows = [];
      for (const m of members) {
        rows.push(h('li', { 'data-test': test, 'data-user': m.userId }, h('span', {}, await app.nameOf(m.userId)),
          at(m) > 0 ? h('time', {}, new Date(at(m)).toLocaleString()) : ''));
      }
      return h('div', {}, h('h4', {}, `${title} · ${members.length}`), h('ul', { class: 'members' }, ...rows));
    };
    body.append(
      await section('Read by', 'info-read', read, (m) => m.readMs),
      await section('Delivered to', 'info-delivered', delivered, (m) => m.deliveredMs),
      await section('Not delivered yet', 'info-waiting', waiting, () => 0),
      h('p', { class: 'hint' }, `Sent ${new Date(info.sentMs).toLocaleString()}`),
      app.groupTicks.readReceiptsOff ? h('p', { class: 'hint' }, 'Read receipts are off in your privacy settings, so reads are not shown.') : '');
  } catch (e) {
    body.append(h('p', { class: 'error' }, readable(e)));
  }
  return h('div', { class: 'message-info', 'data-test': 'message-info' },
    h('header', {}, h('b', {}, 'Message info'), h('button', { 'data-test': 'close-info', onclick: close }, '✕')),
    h('blockquote', {}, message.text),
    body);
}
