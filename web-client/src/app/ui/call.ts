// The call screen over the app: ringing (accept / reject), calling (hang up), and the call itself
// with a tile per other device (its video, or its name in a voice call), this device's own
// picture, and mute, camera off and hang up. Also the call buttons and call log of a chat.
import type { ParleyApp } from '../client.js';
import type { CallView } from '../calls/callManager.js';
import type { Chat } from '../data/history.js';
import { clear, h, time } from './dom.js';

const PHASE_TEXT: Record<string, string> = {
  outgoing: 'Calling…',
  incoming: 'Incoming',
  connecting: 'Connecting…',
  active: 'In call',
};

/** The overlay; it follows the app's calls and keeps media elements across updates. */
export function callOverlay(app: ParleyApp): HTMLElement {
  const overlay = h('div', { class: 'call-overlay', 'data-test': 'call' });
  const tiles = new Map<string, HTMLVideoElement>();
  const self = h('video', { class: 'self', muted: true, autoplay: true, playsinline: true, 'data-test': 'call-self' });
  self.muted = true;

  const act = (work: () => Promise<void> | void) => () => {
    Promise.resolve().then(work).catch((e) => app.fail(e));
  };

  const render = (call: CallView | undefined) => {
    overlay.classList.toggle('shown', call !== undefined);
    if (call === undefined) {
      tiles.clear();
      clear(overlay);
      return;
    }
    overlay.dataset.phase = call.phase;
    overlay.dataset.callId = call.callId;
    const kind = call.group ? 'group call' : call.video ? 'video call' : 'voice call';
    const head = h('div', { class: 'call-head' },
      h('b', { 'data-test': 'call-title' }, call.title),
      h('span', { class: 'hint', 'data-test': 'call-status' }, call.phase === 'ended' ? call.ending ?? 'Call ended.'
        : call.phase === 'incoming' ? `Incoming ${kind}…` : `${PHASE_TEXT[call.phase]} (${kind})`));
    const grid = h('div', { class: 'call-grid' });
    for (const party of call.parties) {
      let video = tiles.get(party.key);
      if (video === undefined) {
        video = h('video', { autoplay: true, playsinline: true });
        video.srcObject = party.stream;
        tiles.set(party.key, video);
      }
      grid.append(h('figure', { class: `tile ${party.state}`, 'data-test': 'call-party', 'data-state': party.state },
        video, h('figcaption', {}, party.name)));
    }
    if (call.local !== undefined && call.video && self.srcObject !== call.local) self.srcObject = call.local;
    const buttons = call.phase === 'ended' ? []
      : call.phase === 'incoming' ? [
        h('button', { 'data-test': 'call-accept', onclick: act(() => app.calls.accept()) }, 'Accept'),
        h('button', { class: 'danger', 'data-test': 'call-reject', onclick: act(() => app.calls.reject()) }, 'Reject')]
        : [
          h('button', { 'data-test': 'call-mute', 'aria-pressed': String(call.muted), onclick: act(() => app.calls.setMuted(!call.muted)) },
            call.muted ? 'Unmute' : 'Mute'),
          call.video && h('button', { 'data-test': 'call-camera', 'aria-pressed': String(call.cameraOff),
            onclick: act(() => app.calls.setCameraOff(!call.cameraOff)) }, call.cameraOff ? 'Camera on' : 'Camera off'),
          h('button', { class: 'danger', 'data-test': 'call-hang-up', onclick: act(() => app.calls.hangUp()) }, 'Hang up')];
    clear(overlay, head, grid, call.video && call.local !== undefined && call.phase !== 'ended' ? self : undefined,
      h('div', { class: 'call-buttons' }, ...buttons));
  };
  app.calls.onChange(render);
  render(app.calls.current);
  return overlay;
}

/** Voice, video and the call log, in a chat's header. */
export function callButtons(app: ParleyApp, chat: Chat): HTMLElement | undefined {
  if (chat.kind === 'broadcast') return undefined;
  const start = (video: boolean) => () => {
    const calling = chat.kind === 'direct' ? app.calls.call(chat.id, video)
      : app.groupInfo(chat.id).then((g) => app.calls.callGroup(chat.id, chat.title, g.members.map((m) => m.userId), video));
    calling.catch((e) => app.fail(e));
  };
  const log = h('ol', { class: 'call-log', 'data-test': 'call-log' });
  const showLog = () => {
    if (log.classList.toggle('shown')) {
      app.calls.history().then(async (records) => {
        const mine = records.filter((r) => chat.kind !== 'direct' || r.peer === chat.id);
        clear(log, ...(mine.length === 0 ? [h('li', {}, 'No calls yet')] : mine.map((r) => h('li', { 'data-test': 'call-record', 'data-outcome': r.outcome },
          `${r.outgoing ? '↗' : '↙'} ${r.group ? 'group' : r.video ? 'video' : 'voice'} · ${r.outcome.toLowerCase()}`
          + `${r.durationMs > 0 ? ` · ${Math.round(r.durationMs / 1000)} s` : ''} · ${time(r.startedAtMs)}`))));
      }).catch((e) => app.fail(e));
    }
  };
  return h('span', { class: 'call-tools' },
    h('button', { title: 'Voice call', 'data-test': 'call-voice', onclick: start(false) }, '📞'),
    h('button', { title: 'Video call', 'data-test': 'call-video', onclick: start(true) }, '🎥'),
    chat.kind === 'direct' && h('button', { title: 'Call history', 'data-test': 'call-history', onclick: showLog }, '🕘'),
    log);
}
