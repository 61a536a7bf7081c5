// Previews made on the sender's device, carried inside the encrypted message so the receiver shows
// something before the download ends: an image or a video frame scaled onto a canvas and saved as a
// small JPEG, and a video's length. Every wait on a media element has a deadline.
const THUMBNAIL_SIDE = 160;
const JPEG_QUALITY = 0.6;
const LOAD_DEADLINE_MS = 10_000;

/** A JPEG of at most 160×160 of an image or of a video's first frame; undefined when the browser cannot decode it. */
export async function thumbnailOf(file: Blob, kind: 'image' | 'video'): Promise<{ thumbnail?: Uint8Array; durationMs?: number }> {
  try {
    if (kind === 'image') {
      const bitmap = await createImageBitmap(file);
      try {
        return { thumbnail: await toJpeg(bitmap, bitmap.width, bitmap.height) };
      } finally {
        bitmap.close();
      }
    }
    return await videoFrame(file);
  } catch {
    return {};
  }
}

async function videoFrame(file: Blob): Promise<{ thumbnail?: Uint8Array; durationMs?: number }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  try {
    video.src = url;
    await until(video, 'loadeddata');
    const durationMs = Number.isFinite(video.duration) ? Math.round(video.duration * 1000) : undefined;
    const thumbnail = await toJpeg(video, video.videoWidth, video.videoHeight);
    return { thumbnail, ...(durationMs !== undefined ? { durationMs } : {}) };
  } finally {
    video.removeAttribute('src');
    URL.revokeObjectURL(url);
  }
}

function until(element: HTMLMediaElement, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${LOAD_DEADLINE_MS} ms`)), LOAD_DEADLINE_MS);
    element.addEventListener(event, () => { clearTimeout(timer); resolve(); }, { once: true });
    element.addEventListener('error', () => { clearTimeout(timer); reject(new Error('cannot decode')); }, { once: true });
  });
}

async function toJpeg(source: CanvasImageSource, width: number, height: number): Promise<Uint8Array> {
  if (width === 0 || height === 0) throw new Error('nothing to draw');
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
  if (blob === null) throw new Error('no JPEG');
  return new Uint8Array(await blob.arrayBuffer());
}
