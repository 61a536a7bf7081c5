// Records a voice note from the microphone with MediaRecorder as Opus (audio/webm, or audio/ogg
// where only that is offered) and measures its length, which the pointer carries: Chromium's
// recorded WebM has no duration in its header.
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'];
/** A voice note's upper bound, well under the voice cap at Opus rates. */
export const MAX_VOICE_MS = 15 * 60 * 1000;

export interface VoiceNote {
  blob: Blob;
  durationMs: number;
  fileName: string;
}

export class VoiceRecorder {
  private recorder: MediaRecorder | undefined;
  private stream: MediaStream | undefined;
  private readonly chunks: Blob[] = [];
  private startedMs = 0;
  private limit: ReturnType<typeof setTimeout> | undefined;

  get recording(): boolean {
    return this.recorder !== undefined;
  }

  /** Asks for the microphone and starts; `onLimit` is called when the longest note is reached. */
  async start(onLimit: () => void): Promise<void> {
    if (typeof MediaRecorder === 'undefined') throw new Error('this browser cannot record audio (no MediaRecorder)');
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    if (mimeType === undefined) throw new Error('this browser cannot record Opus audio');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      throw new Error(`the microphone is not available: ${(e as Error).message}`);
    }
    this.chunks.length = 0;
    this.recorder = new MediaRecorder(this.stream, { mimeType });
    this.recorder.ondataavailable = (event) => event.data.size > 0 && this.chunks.push(event.data);
    this.recorder.start();
    this.startedMs = performance.now();
    this.limit = setTimeout(onLimit, MAX_VOICE_MS);
  }

  /** Stops and resolves with the note; `cancel` drops it instead. */
  stop(): Promise<VoiceNote> {
    const recorder = this.recorder;
    if (recorder === undefined) return Promise.reject(new Error('not recording'));
    return new Promise((resolve, reject) => {
      recorder.onstop = () => {
        const durationMs = Math.round(performance.now() - this.startedMs);
        const type = recorder.mimeType.split(';')[0] ?? 'audio/webm';
        const blob = new Blob(this.chunks, { type });
        this.release();
        if (blob.size === 0) reject(new Error('nothing was recorded'));
        else resolve({ blob, durationMs, fileName: `voice-note.${type === 'audio/ogg' ? 'ogg' : 'webm'}` });
      };
      recorder.stop();
    });
  }

  cancel(): void {
    if (this.recorder !== undefined) {
      this.recorder.onstop = null;
      this.recorder.stop();
    }
    this.release();
  }

  private release(): void {
    clearTimeout(this.limit);
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
    this.recorder = undefined;
  }
}
