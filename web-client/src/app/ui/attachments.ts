// Attachments in a conversation: the composer's attach and record buttons, and the view of each
// attachment in a message (image inline, video player, document with name, size and a download
// link, voice note with its length and a play button that sends the PLAYED receipt). A file that
// fails its digest or MAC shows a notice instead. Media elements are kept per message (or status
// post) across re-renders, so a playing voice note or video is not cut off by a new message.
import type { ParleyApp } from '../client.js';
import type { Message } from '../data/history.js';
import { AttachmentIntegrityError } from '../media/attachmentCipher.js';
import { kindOf, megabytes, refuseUnsendable, type Extras } from '../media/attachments.js';
import type { AttachmentPointer } from '../media/content.js';
import { thumbnailOf } from '../media/thumbnail.js';
import { VoiceRecorder } from '../media/voiceRecorder.js';
import { readable } from '../net/failure.js';
import { toBase64 } from '../../signal/bytes.js';
import { h } from './dom.js';

const MAX_KEPT_ELEMENTS = 300;
const kept = new Map<string, HTMLElement>();

/** The composer's buttons: attach files (the composer's text becomes their caption) and record a voice note. */
export function composerTools(app: ParleyApp, chatId: string, caption: HTMLTextAreaElement): HTMLElement {
  const status = h('span', { class: 'upload-status', 'data-test': 'upload-status' });
  const picker = h('input', { type: 'file', multiple: true, hidden: true, 'data-test': 'attach-input' });
  const sendFile = async (file: File | Blob, name: string, extras: Extras = {}, kindHint?: 'voice') => {
    const kind = kindHint ?? kindOf(name, file.type);
    try {
      refuseUnsendable(file, name, kind);
      status.textContent = `Encrypting and sending ${name}…`;
      const preview = kind === 'image' || kind === 'video' ? await thumbnailOf(file, kind) : {};
      const pointer = await app.attachments.upload(file, name, kind, { ...preview, ...extras });
      const text = caption.value;
      caption.value = '';
      await app.send(chatId, text, [pointer]);
      status.textContent = '';
    } catch (e) {
      status.textContent = '';
      app.fail(e);
    }
  };
  picker.addEventListener('change', async () => {
    const files = Array.from(picker.files ?? []);
    picker.value = '';
    for (const file of files) await sendFile(file, file.name);
  });

  const recorder = new VoiceRecorder();
  const record = h('button', { title: 'Record a voice note', 'data-test': 'record' }, '● Voice');
  const cancel = h('button', { title: 'Discard the recording', 'data-test': 'record-cancel', hidden: true }, '✕');
  const idle = () => {
    record.textContent = '● Voice';
    record.classList.remove('recording');
    cancel.hidden = true;
  };
  const finish = async () => {
    idle();
    try {
      const note = await recorder.stop();
      await sendFile(note.blob, note.fileName, { durationMs: note.durationMs }, 'voice');
    } catch (e) {
      app.fail(e);
    }
  };
  record.addEventListener('click', async () => {
    if (recorder.recording) return void finish();
    try {
      await recorder.start(() => void finish());
      record.textContent = '■ Send';
      record.classList.add('recording');
      cancel.hidden = false;
    } catch (e) {
      app.fail(e);
    }
  });
  cancel.addEventListener('click', () => {
    recorder.cancel();
    idle();
  });
  return h('span', { class: 'composer-tools' },
    h('button', { title: 'Attach files', 'data-test': 'attach', onclick: () => picker.click() }, '+ File'), picker, record, cancel, status);
}

/** The attachments of one message, under its sender's name and above its caption. */
export function attachmentsView(app: ParleyApp, m: Message): HTMLElement | undefined {
  if (m.attachments === undefined || m.attachments.length === 0) return undefined;
  return h('div', { class: 'attachments' }, ...m.attachments.map((p) => attachmentView(app, m, p)));
}

function attachmentView(app: ParleyApp, m: Message, pointer: AttachmentPointer): HTMLElement {
  const played = pointer.kind === 'voice' && m.outgoing && m.played
    ? h('span', { class: 'played', 'data-test': 'played' }, '♪ played') : undefined;
  return h('div', { class: `attachment ${pointer.kind}`, 'data-test': 'attachment', 'data-kind': pointer.kind },
    content(app, m.key, pointer, m), played);
}

/** The media of a status post (image or video, as a Java user may also post another kind); no receipts. */
export function statusMediaView(app: ParleyApp, postId: string, pointer: AttachmentPointer): HTMLElement {
  return h('div', { class: `attachment ${pointer.kind}`, 'data-test': 'attachment', 'data-kind': pointer.kind },
    content(app, `status:${postId}`, pointer));
}

/** The opened file's element, made once per owner (message key or post) and attachment and kept across re-renders. */
function content(app: ParleyApp, owner: string, pointer: AttachmentPointer, m?: Message): HTMLElement {
  const id = `${owner}:${toBase64(pointer.blobId)}`;
  const existing = kept.get(id);
  if (existing !== undefined) return existing;
  const box = h('div', { class: 'attachment-body' });
  if (pointer.thumbnail !== undefined) {
    box.append(h('img', { class: 'thumbnail', 'data-test': 'thumbnail', alt: 'preview',
      src: URL.createObjectURL(new Blob([pointer.thumbnail as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })) }));
  }
  if (pointer.kind !== 'image') box.append(h('span', { class: 'hint', 'data-test': 'attachment-loading' }, `${describe(pointer)}…`));
  app.attachments.open(pointer).then(
    (file) => box.replaceChildren(opened(app, m, pointer, URL.createObjectURL(file))),
    (e) => box.replaceChildren(h('span', { class: 'attachment-error', 'data-test': 'attachment-error' }, failure(pointer, e))));
  kept.set(id, box);
  while (kept.size > MAX_KEPT_ELEMENTS) kept.delete(kept.keys().next().value!);
  return box;
}

function opened(app: ParleyApp, m: Message | undefined, pointer: AttachmentPointer, url: string): HTMLElement {
  switch (pointer.kind) {
    case 'image':
      return h('a', { href: url, download: pointer.fileName, title: pointer.fileName },
        h('img', { class: 'image', 'data-test': 'image', src: url, alt: pointer.fileName }));
    case 'video':
      return h('video', { class: 'video', 'data-test': 'video', src: url, controls: true, preload: 'metadata' });
    case 'voice':
      return m === undefined ? h('audio', { src: url, controls: true, 'data-test': 'voice-audio' }) : voiceNote(app, m, pointer, url);
    default:
      return h('a', { class: 'document', 'data-test': 'document-link', href: url, download: pointer.fileName },
        `↓ ${pointer.fileName || 'document'}`, h('span', { class: 'hint' }, ` ${size(pointer.plaintextSize)}`));
  }
}

function voiceNote(app: ParleyApp, m: Message, pointer: AttachmentPointer, url: string): HTMLElement {
  const audio = h('audio', { src: url, preload: 'auto', 'data-test': 'voice-audio' });
  const button = h('button', { class: 'play', 'data-test': 'play-voice', title: 'Play' }, '▶');
  const length = h('span', { class: 'duration', 'data-test': 'voice-duration' }, clock(pointer.durationMs ?? 0));
  button.addEventListener('click', () => (audio.paused ? audio.play().catch((e) => app.fail(e)) : audio.pause()));
  audio.addEventListener('playing', () => {
    button.textContent = '❚❚';
    if (!m.outgoing) app.attachments.played(m).catch((e) => app.fail(e));
  });
  audio.addEventListener('pause', () => (button.textContent = '▶'));
  audio.addEventListener('ended', () => (button.textContent = '▶'));
  audio.addEventListener('timeupdate', () => (length.textContent = clock(audio.currentTime * 1000)));
  return h('span', { class: 'voice-note', 'data-test': 'voice' }, button, audio, length);
}

function failure(pointer: AttachmentPointer, e: unknown): string {
  const name = pointer.fileName || 'This attachment';
  if (e instanceof AttachmentIntegrityError && e.reason !== 'format') {
    return `⚠ ${name} was altered or damaged on the way: it does not match its message (${e.reason} check failed), so it is not shown.`;
  }
  return `⚠ ${name} could not be opened: ${readable(e)}`;
}

function describe(pointer: AttachmentPointer): string {
  return `${pointer.kind === 'voice' ? 'Voice note' : pointer.fileName || pointer.kind} (${size(pointer.plaintextSize)})`;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KiB` : `${megabytes(bytes)} MiB`;
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
