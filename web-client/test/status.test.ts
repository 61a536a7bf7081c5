// Status pieces that need no server: who is in an audience, which posts are still live, and the
// structured plaintext of a status reply (the Java SDK's MessageContents format).
import { describe, expect, it } from 'vitest';
import { decodeContent, encodeContent, type AttachmentPointer } from '../src/app/media/content.js';
import { inAudience, livePosts, MAX_STATUS_TEXT_BYTES, refuseStatusMedia, statusPlaintext, type StatusPost } from '../src/app/status.js';
import { utf8 } from '../src/signal/bytes.js';

const BOB = '0b0b0b0b-0000-4000-8000-000000000001';
const CAROL = '0c0c0c0c-0000-4000-8000-000000000002';

describe('audiences', () => {
  it('take all contacts, all but the excluded, or only the chosen', () => {
    expect([BOB, CAROL].filter((c) => inAudience({ mode: 'CONTACTS', users: [] }, c))).toEqual([BOB, CAROL]);
    expect([BOB, CAROL].filter((c) => inAudience({ mode: 'CONTACTS_EXCEPT', users: [CAROL] }, c))).toEqual([BOB]);
    expect([BOB, CAROL].filter((c) => inAudience({ mode: 'ONLY_SHARE_WITH', users: [BOB] }, c))).toEqual([BOB]);
  });
});

describe('expiry', () => {
  it('keeps only the posts whose 24 hours have not run out', () => {
    const post = (postId: string, expiresAtMs: number): StatusPost =>
      ({ postId, poster: BOB, posterDevice: 1, postedAtMs: expiresAtMs - 86_400_000, expiresAtMs, viewed: false });
    const now = 1_700_000_000_000;
    expect(livePosts([post('a', now + 1), post('b', now), post('c', now - 5)], now).map((p) => p.postId)).toEqual(['a']);
  });
});

describe('status replies', () => {
  it('are 0x00 then MessageContent{text = 1, status_post_id = 3}, byte for byte as protobuf writes them', () => {
    const bytes = encodeContent({ text: 'hi', attachments: [], statusPostId: BOB });
    expect([...bytes.slice(0, 6)]).toEqual([0x00, 0x0a, 0x02, 0x68, 0x69, 0x1a]);
    expect(bytes[6]).toBe(16);
    expect(bytes.length).toBe(1 + 4 + 2 + 16);
    expect(decodeContent(bytes)).toEqual({ text: 'hi', attachments: [], statusPostId: BOB });
  });

  it('read plain UTF-8 as text, and structured bytes that do not parse as text too', () => {
    expect(decodeContent(utf8('plain words'))).toEqual({ text: 'plain words', attachments: [] });
    expect(decodeContent(Uint8Array.of(0x00, 0x0a, 0x09, 0x41))).toEqual({ text: '\u0000\n\tA', attachments: [] });
  });
});

describe('media statuses', () => {
  const pointer = (thumbnailBytes: number): AttachmentPointer => ({
    blobId: new Uint8Array(16).fill(7), kind: 'image', key: new Uint8Array(64).fill(1), digest: new Uint8Array(32).fill(2),
    size: 1000, plaintextSize: 900, fileName: 'beach.png', contentType: 'image/png',
    ...(thumbnailBytes > 0 ? { thumbnail: new Uint8Array(thumbnailBytes).fill(9) } : {}),
  });

  it('carry the caption and the pointer as the SDK MessageContent, even without a caption', () => {
    const content = decodeContent(statusPlaintext('', [pointer(500)]));
    expect(content.text).toBe('');
    expect(content.attachments).toHaveLength(1);
    expect(content.attachments[0]!.thumbnail).toHaveLength(500);
    expect(decodeContent(statusPlaintext('at the beach', [pointer(0)])).text).toBe('at the beach');
  });

  it('drop a preview that would push a copy over the server size, keeping the media', () => {
    const bytes = statusPlaintext('caption', [pointer(7 * 1024)]);
    expect(bytes.length).toBeLessThanOrEqual(MAX_STATUS_TEXT_BYTES);
    const content = decodeContent(bytes);
    expect(content.attachments[0]!.thumbnail).toBeUndefined();
    expect(content.attachments[0]!.blobId).toEqual(new Uint8Array(16).fill(7));
  });

  it('refuse a document, an empty file and an image over its cap, with a sentence', () => {
    const named = (name: string, size: number, type: string) => ({ name, file: new Blob([new Uint8Array(size)], { type }) });
    expect(refuseStatusMedia(named('clip.webm', 10, 'video/webm'))).toBe('video');
    expect(refuseStatusMedia(named('photo.jpg', 10, ''))).toBe('image');
    expect(() => refuseStatusMedia(named('notes.pdf', 10, 'application/pdf'))).toThrow('a status shows an image or a video; notes.pdf is a document');
    expect(() => refuseStatusMedia(named('empty.png', 0, 'image/png'))).toThrow('empty.png is empty');
    expect(() => refuseStatusMedia(named('huge.png', 17 * 1024 * 1024, 'image/png'))).toThrow('over the 16 MiB limit for image attachments');
  });
});
