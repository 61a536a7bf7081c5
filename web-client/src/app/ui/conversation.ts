// One conversation: its header (name, online / last seen / typing, disappearing timer, block or
// group info), the messages with their ticks (✓ sent, ✓✓ delivered, blue ✓✓ read), edit and
// delete for everyone on one's own messages, and the composer.
import type { ParleyApp } from '../client.js';
import type { Message } from '../data/history.js';
import { TIMER_NAMES } from '../receiver.js';
import { attachmentsView, composerTools } from './attachments.js';
import { callButtons } from './call.js';
import { clear, h, presenceText, time } from './dom.js';
import { safetyPanel } from './safety.js';
import { membershipText } from './membership.js';
import { messageInfoView } from './messageInfo.js';

const TYPING_SHOWN_MS = 10_000;
const TYPING_RENEW_MS = 3_000;
const TICKS: Record<string, string> = { pending: '…', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };

export async function conversationView(app: ParleyApp, chatId: string, onGroupInfo: () => void, highlight?: string): Promise<HTMLElement> {
  const chat = (await app.history.chat(chatId))!;
  const title = h('b', { 'data-test': 'conversation-title' }, chat.title);
  const status = h('span', { class: 'status', 'data-test': 'status' });
  const messages = h('ol', { class: 'messages', 'data-test': 'messages' });
  const input = h('textarea', { rows: 1, placeholder: 'Message', 'data-test': 'composer' });
  let typingSent = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let presence = '';
  const overlay = h('div', { class: 'overlay' });
  const showInfo = chat.kind !== 'group' ? undefined : async (m: Message) =>
    clear(overlay, await messageInfoView(app, m, () => clear(overlay)));

  const render = async () => {
    const all = await app.history.messages(chatId);
    const names = new Map<string, string>();
    if (chat.kind === 'group') for (const m of all) if (!m.notice && !names.has(m.from)) names.set(m.from, await app.nameOf(m.from));
    clear(messages, ...all.map((m) => bubble(app, m, names.get(m.from), m.key === highlight, chat.kind === 'direct', showInfo)));
    messages.scrollTop = messages.scrollHeight;
    if (chat.kind === 'group') {
      // A group's name and this user's standing change with its notices.
      const current = (await app.history.chat(chatId)) ?? chat;
      title.textContent = current.title;
      status.textContent = membershipText(current);
    }
    void app.markRead(chatId);
  };

  const send = async () => {
    const text = input.value;
    input.value = '';
    app.typing(chatId, false);
    typingSent = 0;
    await app.send(chatId, text);
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  });
  input.addEventListener('input', () => {
    if (Date.now() - typingSent > TYPING_RENEW_MS) {
      typingSent = Date.now();
      app.typing(chatId, true);
    }
  });

  const offs = [
    app.events.on('messages', (e) => e.chatId === chatId && void render()),
    app.events.on('presence', (p) => {
      if (p.userId !== chatId) return;
      presence = presenceText(p.online, p.lastSeenMs);
      if (typingTimer === undefined) status.textContent = presence;
    }),
    app.events.on('typing', (t) => {
      if (t.chatId !== chatId) return;
      clearTimeout(typingTimer);
      typingTimer = undefined;
      status.textContent = t.typing ? 'typing…' : presence;
      if (t.typing) typingTimer = setTimeout(() => { typingTimer = undefined; status.textContent = presence; }, TYPING_SHOWN_MS);
    }),
  ];
  const view = h('section', { class: 'conversation', 'data-test': 'conversation', 'data-chat': chatId },
    h('header', {}, h('div', {}, title, chat.kind !== 'direct' && h('span', { class: 'badge' }, chat.kind), h('br'), status),
      callButtons(app, chat),
      chat.kind === 'group' ? h('button', { 'data-test': 'group-info', onclick: onGroupInfo }, 'Group info')
        : chat.kind === 'direct' ? directTools(app, chatId, chat.timer) : h('span', { class: 'hint' }, 'each recipient gets the message 1:1')),
    messages, overlay,
    h('footer', {}, composerTools(app, chatId, input), input, h('button', { 'data-test': 'send', onclick: () => void send() }, 'Send')));
  (view as any).dispose = () => offs.forEach((off) => off());
  await render();
  return view;
}

/** One message; edit and delete for everyone only in 1:1 chats (the server has them for 1:1 sends). */
function bubble(app: ParleyApp, m: Message, name: string | undefined, highlighted: boolean, direct: boolean,
  showInfo?: (m: Message) => void): HTMLElement {
  if (m.notice) return h('li', { class: `notice ${m.from}`, 'data-test': m.from === 'undecryptable' ? 'undecryptable' : 'notice' }, m.text);
  const tick = m.outgoing && m.tick !== undefined
    ? h('span', { class: `tick ${m.tick}`, 'data-test': 'tick', 'data-tick': m.tick, title: m.tick }, TICKS[m.tick] ?? '')
    : undefined;
  const info = showInfo !== undefined && m.outgoing && m.serverId !== undefined
    ? h('button', { class: 'info', title: 'Message info', 'data-test': 'message-info-open', onclick: () => showInfo(m) }, 'ⓘ') : undefined;
  const editable = direct && m.outgoing && m.serverId !== undefined && !m.deleted && !m.notice;
  const tools = editable ? h('span', { class: 'tools' },
    h('button', { title: 'Edit', 'data-test': 'edit', onclick: () => {
      const text = prompt('Edit message', m.text);
      if (text !== null && text.trim() !== '') app.edit(m, text).catch((e) => app.fail(e));
    } }, '✎'),
    h('button', { title: 'Delete for everyone', 'data-test': 'delete', onclick: () => app.deleteForEveryone(m).catch((e) => app.fail(e)) }, '✕')) : undefined;
  return h('li', { class: `message ${m.outgoing ? 'out' : 'in'}${m.deleted ? ' deleted' : ''}${highlighted ? ' highlight' : ''}`,
    'data-test': 'message', 'data-key': m.key },
    name !== undefined && !m.outgoing && h('b', { class: 'from' }, name),
    m.statusPostId !== undefined && h('span', { class: 'status-reply', 'data-test': 'status-reply' }, '↩ Status reply'),
    !m.deleted && attachmentsView(app, m),
    h('span', { class: 'text', 'data-test': 'text' }, m.text),
    h('span', { class: 'meta' }, m.edited && !m.deleted ? 'edited ' : '', time(m.sentMs), ' ', tick ?? '', tools ?? '', info ?? ''));
}

function directTools(app: ParleyApp, peer: string, timer: string | undefined): HTMLElement {
  const select = h('select', { 'data-test': 'timer', title: 'Disappearing messages', onchange: () =>
    app.setDisappearing(peer, select.value).catch((e) => app.fail(e)) },
    ...Object.entries(TIMER_NAMES).map(([value, label]) => h('option', { value, selected: value === (timer ?? 'OFF') }, `Timer: ${label}`)));
  let blocked = false;
  const block = h('button', { 'data-test': 'block', onclick: async () => {
    try {
      await app.block(peer, !blocked);
      blocked = !blocked;
      block.textContent = blocked ? 'Unblock' : 'Block';
    } catch (e) {
      app.fail(e);
    }
  } }, 'Block');
  void app.blocked().then((list) => {
    blocked = list.includes(peer);
    block.textContent = blocked ? 'Unblock' : 'Block';
  }).catch(() => {});
  const safety = h('button', { 'data-test': 'safety', onclick: () => {
    const panel = safetyPanel(app, peer, () => panel.remove());
    document.body.append(panel);
  } }, 'Safety number');
  return h('div', { class: 'tools' }, select, block, safety);
}
