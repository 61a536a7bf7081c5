// The Status tab: post a status (text, or a photo or video with a caption) for an audience (all
// contacts, all except some, only some), see one's own live posts with who viewed them, see
// contacts' posts, open one (which records the view, and downloads and checks its media) and reply
// to it (a 1:1 message to the poster). The list refreshes while on screen and drops posts as they
// expire.
import type { ParleyApp } from '../client.js';
import type { MessageContent } from '../media/content.js';
import { readable } from '../net/failure.js';
import { livePosts, refuseStatusMedia, type AudienceMode, type Contact, type StatusMedia, type StatusPost } from '../status.js';
import { statusMediaView } from './attachments.js';
import { clear, h, time } from './dom.js';

const REFRESH_MS = 3_000;
const MODES: Record<AudienceMode, string> = {
  CONTACTS: 'My contacts',
  CONTACTS_EXCEPT: 'My contacts except…',
  ONLY_SHARE_WITH: 'Only share with…',
};

/** A post's caption and media, for the viewer and the poster's own list. */
function contentView(app: ParleyApp, postId: string, content: MessageContent): (HTMLElement | string)[] {
  return [...content.attachments.map((a) => statusMediaView(app, postId, a)), content.text];
}

export async function statusView(app: ParleyApp, back: () => void): Promise<HTMLElement> {
  const error = h('p', { class: 'error', 'data-test': 'status-error', role: 'alert' });
  const text = h('textarea', { rows: 2, placeholder: 'A status, or a photo caption (24 hours)', 'data-test': 'status-text' });
  const fileInput = h('input', { type: 'file', accept: 'image/*,video/*', hidden: true, 'data-test': 'status-attach-input' });
  const chosen = h('span', { class: 'hint', 'data-test': 'status-media-chosen' });
  const unchoose = h('button', { title: 'Remove the photo or video', hidden: true, 'data-test': 'status-media-remove' }, '✕');
  const posting = h('span', { class: 'upload-status', 'data-test': 'status-upload' });
  let media: StatusMedia | undefined;
  const choose = (next: StatusMedia | undefined) => {
    media = next;
    chosen.textContent = next === undefined ? '' : `📎 ${next.name}`;
    unchoose.hidden = next === undefined;
  };
  // A file a status cannot show (not an image or video, empty, over the cap) is refused as soon as it is picked.
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file === undefined) return;
    error.textContent = '';
    try {
      refuseStatusMedia({ file, name: file.name });
      choose({ file, name: file.name });
    } catch (e) {
      choose(undefined);
      error.textContent = readable(e);
    }
  });
  unchoose.addEventListener('click', () => choose(undefined));
  const mode = h('select', { 'data-test': 'status-audience' },
    ...Object.entries(MODES).map(([value, label]) => h('option', { value }, label)));
  const picker = h('ul', { class: 'members', 'data-test': 'status-contacts' });
  const mine = h('ul', { class: 'statuses', 'data-test': 'my-statuses' });
  const theirs = h('ul', { class: 'statuses', 'data-test': 'contact-statuses' });
  const viewer = h('div', { class: 'status-viewer', 'data-test': 'status-viewer' });
  let contacts: Contact[] = [];
  let posts: StatusPost[] = [];

  const showPicker = () => {
    const choosing = mode.value !== 'CONTACTS';
    clear(picker, ...(!choosing ? [] : contacts.map((c) => h('li', {},
      h('label', {}, h('input', { type: 'checkbox', 'data-test': 'status-contact', 'data-user': c.userId, value: c.userId }), ' ', c.name)))));
  };
  mode.addEventListener('change', showPicker);

  const post = async () => {
    error.textContent = '';
    const users = Array.from(picker.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value);
    if (media !== undefined) posting.textContent = `Encrypting and uploading ${media.name}…`;
    try {
      await app.status.post(text.value, { mode: mode.value as AudienceMode, users }, media);
      text.value = '';
      choose(undefined);
      await refresh();
    } catch (e) {
      error.textContent = readable(e);
    } finally {
      posting.textContent = '';
    }
  };

  const open = async (p: StatusPost) => {
    const reply = h('input', { placeholder: 'Reply', 'data-test': 'status-reply-text' });
    const content = h('p', { class: 'status-text', 'data-test': 'status-view-text' }, 'opening…');
    const shown = h('div', { class: 'status-media', 'data-test': 'status-view-media' });
    clear(viewer, h('div', { class: 'card', 'data-post': p.postId },
      h('b', {}, await app.nameOf(p.poster)), h('time', {}, time(p.postedAtMs)), shown, content,
      h('form', { onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await app.replyToStatus(p, reply.value);
          reply.value = '';
          reply.placeholder = 'Reply sent';
        } catch (err) {
          error.textContent = readable(err);
        }
      } }, reply, h('button', { type: 'submit', 'data-test': 'status-reply-send' }, 'Reply'))));
    try {
      const opened = await app.status.view(p);
      clear(shown, ...opened.attachments.map((a) => statusMediaView(app, p.postId, a)));
      content.textContent = opened.text;
      p.viewed = true;
    } catch (e) {
      content.textContent = '';
      error.textContent = readable(e);
    }
  };

  const render = async () => {
    const live = livePosts(posts, Date.now());
    const own = live.filter((p) => p.poster === app.self);
    const others = live.filter((p) => p.poster !== app.self);
    const ownItems = await Promise.all(own.map(async (p) => {
      const names = await app.status.viewers(p.postId)
        .then((vs) => Promise.all(vs.map((v) => app.nameOf(v.userId)))).catch(() => [] as string[]);
      // Posted from another device of this account: its copy opens here (the poster's views are not counted).
      const kept = await app.status.view(p).then((c) => contentView(app, p.postId, c), (e) => [readable(e)]);
      const audience = await app.status.audienceOf(p.postId);
      return h('li', { 'data-test': 'my-status', 'data-post': p.postId },
        h('div', { class: 'status-text' }, ...kept), h('time', {}, time(p.postedAtMs)),
        audience !== undefined && h('span', { class: 'hint', 'data-test': 'status-audience-label' }, audience),
        h('div', { class: 'hint', 'data-test': 'viewers' }, names.length === 0 ? 'No views yet' : `Viewed by ${names.join(', ')}`),
        h('button', { class: 'danger', 'data-test': 'delete-status', onclick: () =>
          app.status.delete(p.postId).then(refresh).catch((e) => (error.textContent = readable(e))) }, 'Delete'));
    }));
    const otherItems = await Promise.all(others.map(async (p) => h('li', {
      'data-test': 'contact-status', 'data-post': p.postId, class: p.viewed ? 'viewed' : 'new', onclick: () => void open(p) },
      h('b', {}, await app.nameOf(p.poster)), ' ', h('time', {}, time(p.postedAtMs)))));
    clear(mine, ...(ownItems.length === 0 ? [h('li', { class: 'hint' }, 'No status posted')] : ownItems));
    clear(theirs, ...(otherItems.length === 0 ? [h('li', { class: 'hint' }, 'No recent updates')] : otherItems));
    const shown = viewer.querySelector<HTMLElement>('[data-post]')?.dataset.post;
    if (shown !== undefined && !live.some((p) => p.postId === shown)) clear(viewer);
  };

  const refresh = async () => {
    try {
      posts = await app.status.list();
    } catch (e) {
      error.textContent = readable(e);
    }
    await render();
  };

  contacts = await app.status.contacts().catch(() => []);
  showPicker();
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  const view = h('section', { class: 'panel status-tab', 'data-test': 'status-panel' },
    h('header', {}, h('button', { onclick: () => { clearInterval(timer); back(); } }, '←'), h('b', {}, 'Status')),
    h('h3', {}, 'My status'), text,
    h('div', { class: 'status-media-pick' },
      h('button', { title: 'Add a photo or video', 'data-test': 'status-attach', onclick: () => fileInput.click() }, '+ Photo/Video'),
      fileInput, chosen, unchoose),
    mode, picker,
    h('button', { 'data-test': 'post-status', onclick: () => void post() }, 'Post status'), posting, error,
    mine, h('h3', {}, 'Recent updates'), theirs, viewer);
  (view as any).dispose = () => clearInterval(timer);
  await refresh();
  return view;
}
