// A message's plaintext as the Java SDK writes it (MessageContents): UTF-8 text as before, or the
// byte 0x00 followed by a protobuf MessageContent{text, attachments, status_post_id} carrying
// AttachmentPointers (media.proto) or naming the status post a message replies to. UTF-8 text
// never starts with 0x00.
import { fromUtf8, toBase64, utf8 } from '../../signal/bytes.js';
import { uuidBytes, uuidFromBase64 } from '../net/ids.js';
import { decodeProto, decodeProtoList, encodeProto, type ProtoFieldValue } from '../../signal/protobuf.js';

export type MediaKind = 'image' | 'video' | 'document' | 'voice';

/** The proto enum numbers (MediaKind) and their canonical JSON names, as the frames carry them. */
const KIND_NUMBERS: Record<MediaKind, number> = { image: 1, video: 2, document: 3, voice: 4 };
export const KIND_JSON: Record<MediaKind, string> = {
  image: 'MEDIA_KIND_IMAGE', video: 'MEDIA_KIND_VIDEO', document: 'MEDIA_KIND_DOCUMENT', voice: 'MEDIA_KIND_VOICE',
};

/** Where an attachment is and how to open it (AttachmentPointer). */
export interface AttachmentPointer {
  blobId: Uint8Array;
  kind: MediaKind;
  key: Uint8Array;
  digest: Uint8Array;
  size: number;
  plaintextSize: number;
  fileName: string;
  contentType: string;
  thumbnail?: Uint8Array; // a small JPEG the sender made of an image or video
  durationMs?: number; // of a voice note or video
}

export interface MessageContent {
  text: string;
  attachments: AttachmentPointer[];
  /** Set on a reply to a status post: the post's id. */
  statusPostId?: string;
}

const STRUCTURED = 0;
const POINTER_SCHEMA = { 1: 'bytes', 2: 'uint32', 3: 'bytes', 4: 'bytes', 5: 'uint32', 6: 'uint32', 7: 'bytes', 8: 'bytes', 9: 'bytes', 10: 'uint32' } as const;
const CONTENT_SCHEMA = { 1: 'bytes', 2: 'bytes', 3: 'bytes' } as const;

export function encodeContent(content: MessageContent): Uint8Array {
  if (content.attachments.length === 0 && content.statusPostId === undefined) return utf8(content.text);
  const fields: [number, ProtoFieldValue | undefined][] = [[1, content.text === '' ? undefined : utf8(content.text)]];
  for (const pointer of content.attachments) fields.push([2, encodePointer(pointer)]);
  if (content.statusPostId !== undefined) fields.push([3, uuidBytes(content.statusPostId)]);
  const body = encodeProto(fields);
  const plaintext = new Uint8Array(body.length + 1);
  plaintext[0] = STRUCTURED;
  plaintext.set(body, 1);
  return plaintext;
}

/** The content of a plaintext; bytes that do not parse as structured content stay text, as in the SDK. */
export function decodeContent(plaintext: Uint8Array): MessageContent {
  if (plaintext.length > 0 && plaintext[0] === STRUCTURED) {
    try {
      const fields = decodeProtoList(plaintext.subarray(1), CONTENT_SCHEMA);
      const text = fields.filter(([f]) => f === 1).map(([, v]) => fromUtf8(v as Uint8Array)).pop() ?? '';
      const attachments = fields.filter(([f]) => f === 2).map(([, v]) => decodePointer(v as Uint8Array));
      const post = fields.filter(([f]) => f === 3).map(([, v]) => v as Uint8Array).pop();
      return post?.length === 16 ? { text, attachments, statusPostId: uuidFromBase64(toBase64(post)) } : { text, attachments };
    } catch {
      // Not ours: shown as text below.
    }
  }
  return { text: fromUtf8(plaintext), attachments: [] };
}

function encodePointer(p: AttachmentPointer): Uint8Array {
  const text = (s: string) => (s === '' ? undefined : utf8(s));
  return encodeProto([[1, p.blobId], [2, KIND_NUMBERS[p.kind]], [3, p.key], [4, p.digest], [5, p.size || undefined],
    [6, p.plaintextSize || undefined], [7, text(p.fileName)], [8, text(p.contentType)],
    [9, p.thumbnail !== undefined && p.thumbnail.length > 0 ? p.thumbnail : undefined], [10, p.durationMs || undefined]]);
}

function decodePointer(bytes: Uint8Array): AttachmentPointer {
  const f = decodeProto(bytes, POINTER_SCHEMA);
  const b = (n: number) => (f.get(n) as Uint8Array | undefined) ?? new Uint8Array(0);
  const u = (n: number) => (f.get(n) as number | undefined) ?? 0;
  const kind = (Object.keys(KIND_NUMBERS) as MediaKind[]).find((k) => KIND_NUMBERS[k] === u(2)) ?? 'document';
  const pointer: AttachmentPointer = { blobId: b(1), kind, key: b(3), digest: b(4), size: u(5), plaintextSize: u(6),
    fileName: fromUtf8(b(7)), contentType: fromUtf8(b(8)) };
  if (b(9).length > 0) pointer.thumbnail = b(9);
  if (u(10) > 0) pointer.durationMs = u(10);
  return pointer;
}
