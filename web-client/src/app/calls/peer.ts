// One WebRTC connection to one other device of a call: the local tracks go out, the remote
// stream comes in. The side that offers is decided by the call (1:1: the caller once answered;
// group: the newcomer to everyone already in). Candidates are trickled; those that arrive before
// the remote description wait for it.
import type { SignalPayload } from './signalling.js';

export interface PeerStats {
  /** Bytes of inbound RTP received, per kind. */
  inboundBytes: { audio: number; video: number };
  /** Candidate types of the selected pair ('relay', 'host', ...), empty before one is chosen. */
  localCandidateType: string;
  remoteCandidateType: string;
  /** The local candidate's address and, for a relay, how this device reaches the TURN server (udp, tcp). */
  localAddress: string;
  relayProtocol: string;
}

export class Peer {
  readonly connection: RTCPeerConnection;
  readonly remote = new MediaStream();
  private readonly early: RTCIceCandidateInit[] = [];
  private remoteSet = false;

  constructor(
    readonly user: string,
    readonly device: number,
    config: RTCConfiguration,
    local: MediaStream,
    private readonly send: (payload: SignalPayload) => void,
    onTrack: () => void,
    onState: (state: RTCPeerConnectionState) => void,
  ) {
    this.connection = new RTCPeerConnection(config);
    local.getTracks().forEach((track) => this.connection.addTrack(track, local));
    this.connection.onicecandidate = (e) => {
      if (e.candidate !== null) this.send({ kind: 'candidate', candidate: e.candidate.toJSON() });
    };
    this.connection.ontrack = (e) => {
      this.remote.addTrack(e.track);
      onTrack();
    };
    this.connection.onconnectionstatechange = () => onState(this.connection.connectionState);
  }

  get key(): string {
    return `${this.user}.${this.device}`;
  }

  async offer(): Promise<void> {
    const offer = await this.connection.createOffer();
    await this.connection.setLocalDescription(offer);
    this.send({ kind: 'offer', sdp: offer.sdp ?? '' });
  }

  async take(payload: SignalPayload): Promise<void> {
    if (payload.kind === 'offer') {
      await this.connection.setRemoteDescription({ type: 'offer', sdp: payload.sdp });
      await this.remoteReady();
      const answer = await this.connection.createAnswer();
      await this.connection.setLocalDescription(answer);
      this.send({ kind: 'answer', sdp: answer.sdp ?? '' });
    } else if (payload.kind === 'answer') {
      await this.connection.setRemoteDescription({ type: 'answer', sdp: payload.sdp });
      await this.remoteReady();
    } else if (payload.kind === 'candidate') {
      if (this.remoteSet) await this.connection.addIceCandidate(payload.candidate);
      else this.early.push(payload.candidate);
    }
  }

  private async remoteReady(): Promise<void> {
    this.remoteSet = true;
    for (const candidate of this.early.splice(0)) await this.connection.addIceCandidate(candidate);
  }

  async stats(): Promise<PeerStats> {
    // RTCStatsReport is a maplike; the DOM typings here lack its get().
    const report = (await this.connection.getStats()) as unknown as Map<string, any>;
    const out: PeerStats = { inboundBytes: { audio: 0, video: 0 }, localCandidateType: '', remoteCandidateType: '',
      localAddress: '', relayProtocol: '' };
    let pairId: string | undefined;
    report.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) out.inboundBytes[s.kind as 'audio' | 'video'] += s.bytesReceived ?? 0;
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair: any = pairId === undefined ? undefined : report.get(pairId);
    if (pair !== undefined) {
      const local = report.get(pair.localCandidateId);
      out.localCandidateType = local?.candidateType ?? '';
      out.localAddress = `${local?.address ?? ''}:${local?.port ?? ''}`;
      out.relayProtocol = local?.relayProtocol ?? '';
      out.remoteCandidateType = report.get(pair.remoteCandidateId)?.candidateType ?? '';
    }
    return out;
  }

  close(): void {
    this.connection.close();
  }
}
