// The sidebar: who this is, the connection state, new chat / new group / join by link, search
// over local history, and the chat list with last message and unread count.
import type { ParleyApp } from '../client.js';
import type { Chat, Message } from '../data/history.js';
import { readable } from '../net/failure.js';
import { clear, h, time } from './dom.js';

export interface ListActions {
  open(chatId: string, highlight?: string): void;
  settings(): void;
  status(): void;
}

export function chatListView(app: ParleyApp, actions: ListActions): HTMLElement {
  const state = h('span', { class: 'state', 'data-test': 'connection' }, 'connecting');
  const list = h('ul', { class: 'chats', 'data-test': 'chat-list' });
  const results = h('ul', { class: 'results', 'data-test': 'search-results' });
  const search = h('input', { type: 'search', placeholder: 'Search messages', 'data-test': 'search', oninput: () => void runSearch() });
  const form = h('div', { class: 'new' });

  const runSearch = async () => {
    const query = search.value;
    const found = await app.history.search(query);
    if (query !== search.value) return;
    const chats = new Map((await app.history.chats()).map((c) => [c.id, c] as const));
    clear(results, ...found.map((m: Message) => h('li', { 'data-test': 'search-result', onclick: () => actions.open(m.chatId, m.key) },
      h('b', {}, chats.get(m.chatId)?.title ?? ''), ' ', h('span', {}, m.text), h('time', {}, time(m.sentMs)))));
  };

  const prompt = (label: string, fields: string[], run: (values: string[]) => Promise<void>) => {
    const inputs = fields.map((f) => h('input', { placeholder: f, 'data-test': `new-${f.split(' ')[0]}` }));
    const error = h('p', { class: 'error' });
    clear(form, h('form', { class: 'card', onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await run(inputs.map((i) => i.value));
        clear(form);
      } catch (err) {
        error.textContent = readable(err);
      }
    } }, ...inputs, h('button', { type: 'submit', 'data-test': 'new-submit' }, label), h('button', { type: 'button', onclick: () => clear(form) }, 'Cancel'), error));
    inputs[0]?.focus();
  };

  const render = async () => {
    const chats = await app.history.chats();
    // A group's last line says who wrote it, as WhatsApp's list does ("Bob: Pizza?").
    const authors = new Map<string, string>();
    for (const chat of chats) if (chat.kind === 'group' && chat.lastFrom !== undefined) authors.set(chat.id, `${await app.nameOf(chat.lastFrom)}: `);
    clear(list, ...chats.map((chat: Chat) => h('li', { 'data-test': 'chat', 'data-chat': chat.id, onclick: () => actions.open(chat.id) },
      h('div', { class: 'title' }, h('span', {}, h('b', { 'data-test': 'chat-title' }, chat.title), chat.kind !== 'direct' && h('span', { class: 'badge' }, chat.kind)),
        h('time', {}, chat.lastText === '' ? '' : time(chat.lastMs))),
      h('div', { class: 'last' }, h('span', { 'data-test': 'last-message' }, authors.get(chat.id) ?? '', chat.lastText),
        chat.unread > 0 && h('span', { class: 'unread', 'data-test': 'unread' }, String(chat.unread))))));
  };

  app.events.on('chats', () => void render());
  app.events.on('state', ({ state: s, detail }) => (state.textContent = detail === undefined ? s : `${s}: ${detail}`));
  void render();
  return h('aside', { class: 'sidebar' },
    h('header', {}, h('b', { 'data-test': 'me' }, app.account.username || 'me'), state,
      h('button', { title: 'Status', 'data-test': 'status-tab', onclick: () => actions.status() }, 'Status'),
      h('button', { title: 'Settings', 'data-test': 'settings', onclick: () => actions.settings() }, '⚙')),
    h('div', { class: 'actions' },
      h('button', { 'data-test': 'new-chat', onclick: () => prompt('Chat', ['username'], async ([u]) => actions.open((await app.startChat(u!)).id)) }, 'New chat'),
      h('button', { 'data-test': 'new-group', onclick: () => prompt('Create group', ['subject', 'members (usernames, comma separated)'],
        async ([subject, members]) => actions.open((await app.createGroup(subject!, members!.split(','))).id)) }, 'New group'),
      h('button', { 'data-test': 'new-broadcast', onclick: () => prompt('Create list', ['name', 'recipients (usernames, comma separated)'],
        async ([name, recipients]) => actions.open((await app.createBroadcast(name!, recipients!.split(','))).id)) }, 'Broadcast'),
      h('button', { 'data-test': 'join-group', onclick: () => prompt('Join', ['invite code'], async ([code]) => actions.open((await app.joinGroup(code!)).id)) }, 'Join')),
    form, search, results, list);
}
