// This device's calls: at most one at a time. Follows the calls role's lifecycle (offer, ring,
// accept, reject, hang-up, busy, missed; group calls as a mesh) from its pushes, holds the local
// camera and microphone, and one Peer per other device of the call, whose SDP and ICE go through
// CallSignalling sealed end to end. The ICE servers are Parley's TURN with the node's short-lived
// credentials. Views follow `onChange`; the end of a call leaves a line in its chat.
import type { Connection } from '../net/connection.js';
import { ParleyError } from '../net/failure.js';
import { uuidFromBase64, uuidToBase64 } from '../net/ids.js';
import { Peer, type PeerStats } from './peer.js';
import type { CallSignalling, IncomingSignal } from './signalling.js';

export type CallPhase = 'outgoing' | 'incoming' | 'connecting' | 'active' | 'ended';

export interface CallParty {
  key: string;
  name: string;
  stream: MediaStream;
  state: RTCPeerConnectionState;
}

export interface CallView {
  callId: string;
  phase: CallPhase;
  video: boolean;
  group: boolean;
  outgoing: boolean;
  /** Who: the callee, the caller, or the group call's caller. */
  title: string;
  /** The chat the call's lines go to (the peer; a group call started here: the group). */
  chatId: string;
  muted: boolean;
  cameraOff: boolean;
  local?: MediaStream;
  parties: CallParty[];
  /** Why it ended, as a sentence, once phase is 'ended'. */
  ending?: string;
}

/** What the manager needs from the app around it. */
export interface CallHost {
  readonly self: string;
  readonly selfDevice: number;
  nameOf(userId: string): Promise<string>;
  notice(chatId: string, text: string): Promise<void>;
  fail(error: unknown): void;
}

export interface CallRecordView {
  callId: string;
  peer: string;
  outgoing: boolean;
  video: boolean;
  group: boolean;
  startedAtMs: number;
  durationMs: number;
  outcome: string;
}

const OUTCOMES = ['ANSWERED', 'MISSED', 'REJECTED', 'BUSY'];
const KINDS = ['INCOMING', 'RINGING', 'ACCEPTED', 'ANSWERED_ELSEWHERE', 'ENDED', 'PARTICIPANTS'];
/** How long the view shows why a call ended before it goes away. */
const ENDING_SHOWN_MS = 4_000;
/** A 1:1 call's media must connect this long after the answer, or the call ends. */
const CONNECT_DEADLINE_MS = 20_000;

export class CallManager {
  current: CallView | undefined;
  /** 'relay' forces media through TURN (tests, or privacy: the peer never learns this device's address). */
  policy: RTCIceTransportPolicy = 'all';
  /** The TURN transports to use of those the node hands out: 'tcp' alone gets through networks that drop UDP. */
  turnTransports: ('udp' | 'tcp')[] = ['udp', 'tcp'];
  /** When this device answered (or its call was answered): the start of the call set-up time. */
  answeredAtMs = 0;
  private readonly peers = new Map<string, Peer>();
  private readonly listeners = new Set<(view: CallView | undefined) => void>();
  private config: Promise<RTCConfiguration> | undefined;
  private caller: { user: string; device: number } | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly signalling: CallSignalling,
    private readonly host: CallHost,
  ) {}

  onChange(listener: (view: CallView | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- actions ---

  /** Rings every device of the user. */
  async call(peer: string, video: boolean): Promise<void> {
    if (this.live()) throw new ParleyError(409, 'you are in a call already');
    const local = await this.media(video);
    try {
      const offered = await this.connection.request<any>({ callOffer: { callee: uuidToBase64(peer), video } });
      const callId = uuidFromBase64(offered.callId);
      this.show({ callId, phase: 'outgoing', video, group: false, outgoing: true, title: await this.host.nameOf(peer),
        chatId: peer, muted: false, cameraOff: false, local, parties: [] });
      if (offered.busy === true) await this.finish(`${this.current!.title} is on another call.`, true);
    } catch (e) {
      local.getTracks().forEach((t) => t.stop());
      throw e;
    }
  }

  /** Starts a group call with the members; this device is in it at once, theirs ring. */
  async callGroup(groupId: string, title: string, members: string[], video: boolean): Promise<void> {
    if (this.live()) throw new ParleyError(409, 'you are in a call already');
    const invitees = members.filter((m) => m !== this.host.self);
    if (invitees.length === 0) throw new ParleyError(400, 'nobody else is in this group');
    const local = await this.media(video);
    try {
      const state = await this.connection.request<any>({ groupCallStart: { invitees: invitees.map(uuidToBase64), video } });
      this.show({ callId: uuidFromBase64(state.callId), phase: 'active', video, group: true, outgoing: true, title,
        chatId: groupId, muted: false, cameraOff: false, local, parties: [] });
    } catch (e) {
      local.getTracks().forEach((t) => t.stop());
      throw e;
    }
  }

  /** Answers the call ringing here; the account's other devices stop ringing. */
  async accept(): Promise<void> {
    const call = this.current;
    if (call === undefined || call.phase !== 'incoming') return;
    this.answeredAtMs = Date.now();
    call.local = await this.media(call.video);
    call.phase = 'connecting';
    this.changed();
    try {
      if (!call.group) {
        await this.connection.request({ callAccept: { callId: uuidToBase64(call.callId) } });
        return;
      }
      const state = await this.connection.request<any>({ groupCallJoin: { callId: uuidToBase64(call.callId) } });
      // The newcomer offers to everyone already in.
      for (const p of state.participants ?? []) {
        const user = uuidFromBase64(p.userId);
        if (user === this.host.self) continue;
        const peer = await this.peer(call, user, Number(p.deviceId ?? 0));
        await peer.offer();
      }
    } catch (e) {
      await this.finish(undefined, true);
      throw e;
    }
  }

  async reject(): Promise<void> {
    const call = this.current;
    if (call === undefined || call.phase !== 'incoming') return;
    // Declining a group call is not answering it; 1:1 it ends the call for the caller.
    if (!call.group) await this.connection.request({ callReject: { callId: uuidToBase64(call.callId) } }).catch((e) => this.host.fail(e));
    await this.finish(undefined, true);
  }

  async hangUp(): Promise<void> {
    const call = this.current;
    if (call === undefined || call.phase === 'ended') return;
    const cancelled = call.outgoing && call.phase === 'outgoing';
    await this.connection.request({ callHangUp: { callId: uuidToBase64(call.callId) } }).catch((e) => this.host.fail(e));
    await this.finish(cancelled ? 'Call cancelled: not answered.' : this.endedLine(call), true);
  }

  setMuted(muted: boolean): void {
    const call = this.current;
    if (call?.local === undefined) return;
    call.muted = muted;
    call.local.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.changed();
  }

  setCameraOff(off: boolean): void {
    const call = this.current;
    if (call?.local === undefined) return;
    call.cameraOff = off;
    call.local.getVideoTracks().forEach((t) => (t.enabled = !off));
    this.changed();
  }

  /** The tracks this device sends on each connection of the call, and whether each is on (muted, camera off). */
  sending(): { peer: string; kind: string; enabled: boolean }[] {
    return [...this.peers.values()].flatMap((p) => p.connection.getSenders()
      .filter((s) => s.track !== null).map((s) => ({ peer: p.key, kind: s.track!.kind, enabled: s.track!.enabled })));
  }

  /** Media and route of every connection of the call (the tests read it; so may a "call info" view). */
  async stats(): Promise<(PeerStats & { key: string })[]> {
    return Promise.all([...this.peers.values()].map(async (p) => ({ key: p.key, ...(await p.stats()) })));
  }

  async history(limit = 50): Promise<CallRecordView[]> {
    const answer = await this.connection.request<any>({ callHistory: { limit } });
    return (answer.calls ?? []).map((r: any) => ({
      callId: uuidFromBase64(r.callId), peer: uuidFromBase64(r.peerUser), outgoing: r.outgoing === true, video: r.video === true,
      group: r.group === true, startedAtMs: Number(r.startedAtMs ?? 0), durationMs: Number(r.durationMs ?? 0),
      outcome: typeof r.outcome === 'number' ? OUTCOMES[r.outcome] ?? 'ANSWERED' : r.outcome ?? 'ANSWERED',
    }));
  }

  // --- pushes ---

  onEvent(event: any): void {
    void this.handleEvent(event).catch((e) => console.warn('call event not handled', e));
  }

  onSignal(signal: any): void {
    this.signalling.receive(signal, (s) => void this.takeSignal(s).catch((e) => console.warn('call signal failed', e)));
  }

  private async handleEvent(event: any): Promise<void> {
    const kind = typeof event.kind === 'number' ? KINDS[event.kind] : event.kind ?? 'INCOMING';
    const callId = uuidFromBase64(event.callId);
    if (kind === 'INCOMING') return this.ring(event, callId);
    const call = this.current;
    if (call === undefined || call.callId !== callId || call.phase === 'ended') return;
    if (kind === 'ACCEPTED' && !call.group) {
      this.answeredAtMs = Date.now();
      call.phase = 'connecting';
      this.changed();
      const peer = await this.peer(call, uuidFromBase64(event.byUser), Number(event.byDevice ?? 0));
      await peer.offer();
    } else if (kind === 'ANSWERED_ELSEWHERE') {
      await this.finish('Answered on another device.', false);
    } else if (kind === 'PARTICIPANTS') {
      const inCall = new Set((event.participants ?? []).map((p: any) => `${uuidFromBase64(p.userId)}.${Number(p.deviceId ?? 0)}`));
      for (const [key, peer] of this.peers) {
        if (!inCall.has(key)) {
          peer.close();
          this.peers.delete(key);
        }
      }
      this.refreshParties();
    } else if (kind === 'ENDED') {
      const outcome = typeof event.outcome === 'number' ? OUTCOMES[event.outcome] : event.outcome ?? 'ANSWERED';
      // A missed or busy call reaches the callee's chat from the server's inbox entry; the caller's line is written here.
      const line = !call.outgoing && call.phase === 'incoming' ? undefined
        : outcome === 'REJECTED' ? `${call.title} declined the call.`
          : outcome === 'MISSED' ? 'No answer.'
            : outcome === 'BUSY' ? `${call.title} is on another call.` : this.endedLine(call);
      await this.finish(line ?? (outcome === 'MISSED' ? 'Missed call.' : undefined), line !== undefined);
    }
  }

  private async ring(event: any, callId: string): Promise<void> {
    if (this.live()) return; // the server answers a second caller "busy"; a group invite while in a call waits unanswered
    const caller = uuidFromBase64(event.caller);
    const group = event.group === true;
    this.caller = { user: caller, device: Number(event.callerDevice ?? 0) };
    this.config = undefined; // fresh credentials for each call
    const name = await this.host.nameOf(caller);
    this.show({ callId, phase: 'incoming', video: event.video === true, group, outgoing: false,
      title: group ? `Group call from ${name}` : name, chatId: caller, muted: false, cameraOff: false, parties: [] });
  }

  private async takeSignal(signal: IncomingSignal): Promise<void> {
    const call = this.current;
    if (call === undefined || call.callId !== signal.callId || call.phase === 'ended' || call.phase === 'incoming') return;
    let peer = this.peers.get(`${signal.fromUser}.${signal.fromDevice}`);
    if (peer === undefined) {
      // 1:1 only the caller's device offers; in a group everyone who joins later does.
      if (signal.payload.kind !== 'offer') return;
      if (!call.group && (this.caller?.user !== signal.fromUser || this.caller.device !== signal.fromDevice)) return;
      peer = await this.peer(call, signal.fromUser, signal.fromDevice);
    }
    await peer.take(signal.payload);
  }

  // --- inside ---

  private async peer(call: CallView, user: string, device: number): Promise<Peer> {
    const config = await this.iceConfig();
    const peer = new Peer(user, device, config, call.local ?? new MediaStream(),
      (payload) => void this.signalling.send(call.callId, user, device, payload).catch((e) => console.warn('signal not sent', e)),
      () => this.refreshParties(),
      (state) => {
        if (state === 'connected' && call.phase === 'connecting') call.phase = 'active';
        if (state === 'failed' && !call.group) return void this.unreachable(call);
        this.refreshParties();
      });
    // ICE may never report failure when no candidate exists at all (no TURN reachable, relay only).
    if (!call.group) setTimeout(() => peer.connection.connectionState !== 'connected' && this.unreachable(call), CONNECT_DEADLINE_MS);
    this.peers.set(peer.key, peer);
    this.refreshParties();
    return peer;
  }

  /** A 1:1 call whose media found no route: nothing is left to wait for. */
  private unreachable(call: CallView): void {
    if (this.current !== call || call.phase === 'ended') return;
    void this.connection.request({ callHangUp: { callId: uuidToBase64(call.callId) } }).catch(() => {});
    void this.finish('The call could not connect: no route for its media.', true);
  }

  private iceConfig(): Promise<RTCConfiguration> {
    this.config ??= this.connection.request<any>({ turnCredentials: {} }).then((turn) => {
      const urls = ((turn.urls ?? []) as string[]).filter((url) => this.turnTransports.includes(transportOf(url)));
      return {
        iceServers: urls.length === 0 ? [] : [{ urls, username: turn.username ?? '', credential: turn.password ?? '' }],
        iceTransportPolicy: this.policy,
      };
    });
    return this.config;
  }

  private async media(video: boolean): Promise<MediaStream> {
    this.config = undefined;
    void this.iceConfig().catch(() => (this.config = undefined));
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video });
    } catch (e) {
      throw new ParleyError(403, `no ${video ? 'camera or microphone' : 'microphone'}: ${(e as Error).message}`);
    }
  }

  private refreshParties(): void {
    const call = this.current;
    if (call === undefined) return;
    void Promise.all([...this.peers.values()].map(async (p) => ({ key: p.key, name: await this.host.nameOf(p.user), stream: p.remote,
      state: p.connection.connectionState }))).then((parties) => {
      if (this.current !== call) return;
      call.parties = parties;
      this.changed();
    });
  }

  private endedLine(call: CallView): string {
    const seconds = this.answeredAtMs > 0 ? Math.round((Date.now() - this.answeredAtMs) / 1000) : 0;
    return `${call.group ? 'Group' : call.video ? 'Video' : 'Voice'} call, ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }

  /** Ends the call here: media off, connections closed, a line in the chat, the view shows why for a moment. */
  private async finish(line: string | undefined, write: boolean): Promise<void> {
    const call = this.current;
    if (call === undefined || call.phase === 'ended') return;
    call.phase = 'ended';
    call.ending = line ?? 'Call ended.';
    call.local?.getTracks().forEach((t) => t.stop());
    this.peers.forEach((p) => p.close());
    this.peers.clear();
    this.signalling.forget(call.callId);
    this.caller = undefined;
    this.changed();
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => {
      if (this.current === call) this.show(undefined);
    }, ENDING_SHOWN_MS);
    if (write && line !== undefined) await this.host.notice(call.chatId, line).catch(() => {});
  }

  private live(): boolean {
    return this.current !== undefined && this.current.phase !== 'ended';
  }

  private show(view: CallView | undefined): void {
    clearTimeout(this.hideTimer);
    this.current = view;
    if (view !== undefined) this.answeredAtMs = 0;
    this.changed();
  }

  private changed(): void {
    this.listeners.forEach((l) => l(this.current));
  }
}

/** A turn: URL's transport; without ?transport= it is UDP (RFC 7065). */
function transportOf(url: string): 'udp' | 'tcp' {
  return /[?&]transport=tcp\b/i.test(url) ? 'tcp' : 'udp';
}
