// The app's entry: opens IndexedDB, shows the welcome screen to a device without an account,
// otherwise starts the core and lays out the sidebar and the open conversation or panel.
import './style.css';
import { ParleyApp, type Account } from './client.js';
import { Database } from './data/db.js';
import { callOverlay } from './ui/call.js';
import { chatListView } from './ui/chatList.js';
import { conversationView } from './ui/conversation.js';
import { clear, h } from './ui/dom.js';
import { groupPanel } from './ui/groupPanel.js';
import { settingsView } from './ui/settings.js';
import { statusView } from './ui/status.js';
import { welcomeView } from './ui/welcome.js';

const ERROR_SHOWN_MS = 8_000;

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const db = await Database.open();
  const account = await db.get<Account>('kv', 'account');
  if (account === undefined) {
    clear(root, welcomeView(async (created, displayName) => {
      await db.put('kv', created, 'account');
      await run(root, db, created, displayName);
    }));
    return;
  }
  await run(root, db, account);
}

async function run(root: HTMLElement, db: Database, account: Account, displayName?: string): Promise<void> {
  const app = await ParleyApp.start(db, account, displayName);
  (window as any).parley = app; // for the browser tests and the console
  const main = h('main', { class: 'pane' }, h('p', { class: 'empty' }, 'Choose a chat, or start one.'));
  const toast = h('div', { class: 'toast', role: 'alert', 'data-test': 'error' });
  let current: HTMLElement | undefined;
  let toastTimer: ReturnType<typeof setTimeout> | undefined;

  const show = (view: HTMLElement, chatId?: string) => {
    (current as any)?.dispose?.();
    current = view;
    clear(main, view);
    void app.open(chatId);
  };
  const openChat = async (chatId: string, highlight?: string) =>
    show(await conversationView(app, chatId, async () => show(await groupPanel(app, chatId, () => void openChat(chatId))), highlight), chatId);
  app.events.on('error', ({ text }) => {
    toast.textContent = text;
    toast.classList.add('shown');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toast.classList.remove('shown'), ERROR_SHOWN_MS);
  });
  document.addEventListener('visibilitychange', () => {
    const chatId = current?.getAttribute('data-chat');
    if (chatId) void app.markRead(chatId);
  });
  clear(root, h('div', { class: 'layout' },
    chatListView(app, { open: (id, highlight) => void openChat(id, highlight), settings: async () => show(await settingsView(app, () => clear(main))),
      status: async () => show(await statusView(app, () => clear(main))) }),
    main), toast, callOverlay(app));
}

void boot();
