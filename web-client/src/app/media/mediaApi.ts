// Moves sealed attachments: asks the node over the connection for a signed URL (media_upload,
// media_download), then sends or fetches the bytes over HTTP on the same origin. A PUT cut off
// midway resumes from the offset the node reports (HEAD); refusals (4xx) fail at once with the
// node's code and sentence ({"code","message"}).
import { fromBase64, toBase64 } from '../../signal/bytes.js';
import type { Connection } from '../net/connection.js';
import { ParleyError } from '../net/failure.js';
import { KIND_JSON, type MediaKind } from './content.js';

const MAX_ATTEMPTS = 4;
const RETRY_DELAY_MS = 250;
const OFFSET_HEADER = 'Upload-Offset';

export class MediaApi {
  constructor(private readonly connection: Connection) {}

  /** Reserves a blob for these sealed bytes and uploads them; resolves with the blob id. */
  async upload(kind: MediaKind, sealed: Uint8Array, digest: Uint8Array): Promise<Uint8Array> {
    const reserved = await this.connection.request<any>({
      mediaUpload: { kind: KIND_JSON[kind], size: String(sealed.length), digest: toBase64(digest) },
    });
    const path: string = reserved.uploadPath;
    for (let attempt = 1; ; attempt++) {
      try {
        const offset = attempt === 1 ? 0 : await this.offset(path);
        if (offset < sealed.length) await this.put(path, sealed, offset);
        return fromBase64(reserved.blobId);
      } catch (e) {
        // A refusal stays one; a dropped connection (TypeError from fetch) or a 503 is tried again.
        const transient = !(e instanceof ParleyError) || e.code === 503 || e.code === 409;
        if (!transient || attempt >= MAX_ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }

  /** Downloads a blob's sealed bytes (the caller checks them against the digest in its message). */
  async download(blobId: Uint8Array): Promise<Uint8Array> {
    const url = await this.connection.request<any>({ mediaDownload: { blobId: toBase64(blobId) } });
    const response = await fetch(url.downloadPath, { cache: 'no-store' });
    await refused(response);
    return new Uint8Array(await response.arrayBuffer());
  }

  private async offset(path: string): Promise<number> {
    const response = await fetch(path, { method: 'HEAD' });
    await refused(response);
    return Number(response.headers.get(OFFSET_HEADER) ?? 0);
  }

  private async put(path: string, sealed: Uint8Array, offset: number): Promise<void> {
    const last = sealed.length - 1;
    const response = await fetch(path, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${offset}-${last}/${sealed.length}` },
      body: sealed.subarray(offset) as Uint8Array<ArrayBuffer>,
    });
    await refused(response);
    if (response.status !== 201) throw new ParleyError(503, `upload stopped at ${response.headers.get(OFFSET_HEADER)} of ${sealed.length} bytes`);
  }
}

/** Throws the node's refusal as a ParleyError with its code and sentence. */
async function refused(response: Response): Promise<void> {
  if (response.ok) return;
  let message = `HTTP ${response.status}`;
  try {
    message = (await response.json()).message ?? message;
  } catch {
    // Not the node's JSON (e.g. a proxy's page): keep the status line.
  }
  throw new ParleyError(response.status, message);
}
