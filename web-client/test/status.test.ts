// Status pieces that need no server: who is in an audience, which posts are still live, and the
// structured plaintext of a status reply (the Java SDK's MessageContents format).
import { describe, expect, it } from 'vitest';
import { decodeContent, encodeContent } from '../src/app/media/content.js';
import { inAudience, livePosts, type StatusPost } from '../src/app/status.js';
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
