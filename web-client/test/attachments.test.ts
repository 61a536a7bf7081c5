// The attachment format against the Java SDK: vectors sealed by the Java AttachmentCipher open
// here, sealing again with the same key and IV gives the same bytes, and MessageContent with
// attachment pointers decodes as the Java MessageContents wrote it and encodes the same back.
// Tampered bytes, wrong digests and wrong keys are refused with the check that failed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../src/signal/bytes.js';
import { AttachmentIntegrityError, openAttachment, sealAttachment, sealedSize } from '../src/app/media/attachmentCipher.js';
import { decodeContent, encodeContent } from '../src/app/media/content.js';
import { CAPS, kindOf, refuseUnsendable } from '../src/app/media/attachments.js';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/attachments-java.json', import.meta.url), 'utf8'));
const b = (s: string) => fromBase64(s);

describe('attachment cipher, Java SDK vectors', () => {
  for (const v of vectors.sealed) {
    const size = v.plaintextSize as number;
    it(`opens a ${size}-byte file the Java SDK sealed`, async () => {
      expect(toBase64(await openAttachment(b(v.sealed), b(v.key), b(v.digest)))).toBe(v.plaintext);
    });
    it(`seals ${size} bytes byte-identical to Java given the same key and IV`, async () => {
      const sealed = await sealAttachment(b(v.plaintext), b(v.key), b(v.sealed).slice(0, 16));
      expect(toBase64(sealed.sealed)).toBe(v.sealed);
      expect(toBase64(sealed.digest)).toBe(v.digest);
      expect(sealed.sealed.length).toBe(v.size);
      expect(sealedSize(size)).toBe(v.size);
    });
  }

  it('round-trips under a fresh random key', async () => {
    const plain = new Uint8Array(100_000).map((_, i) => i * 7);
    const sealed = await sealAttachment(plain);
    expect(sealed.key.length).toBe(64);
    expect(await openAttachment(sealed.sealed, sealed.key, sealed.digest)).toEqual(plain);
  });
});

describe('attachment cipher, bad input', () => {
  const v = vectors.sealed.find((x: any) => x.plaintextSize === 1000);

  it('refuses a flipped byte by its digest before anything is decrypted', async () => {
    const sealed = b(v.sealed);
    sealed[500] ^= 1;
    await expect(openAttachment(sealed, b(v.key), b(v.digest))).rejects.toMatchObject({ reason: 'digest' });
  });

  it('refuses a wrong key by the MAC even when the digest matches', async () => {
    const key = b(v.key);
    key[40] ^= 1;
    await expect(openAttachment(b(v.sealed), key, b(v.digest))).rejects.toMatchObject({ reason: 'mac' });
  });

  it('refuses truncated bytes and a key of the wrong length readably', async () => {
    await expect(openAttachment(b(v.sealed).slice(0, 40), b(v.key), b(v.digest))).rejects.toThrow(/not a whole number of blocks/);
    await expect(openAttachment(b(v.sealed), new Uint8Array(32), b(v.digest))).rejects.toBeInstanceOf(AttachmentIntegrityError);
    await expect(sealAttachment(new Uint8Array(1), new Uint8Array(10))).rejects.toThrow(/64 bytes/);
  });
});

describe('message content, Java SDK vector', () => {
  const c = vectors.content;

  it('decodes the caption and both pointers the Java SDK encoded', () => {
    const content = decodeContent(b(c.plaintext));
    expect(content.text).toBe('a caption ✓');
    expect(content.attachments).toHaveLength(2);
    const [image, voice] = content.attachments;
    expect(image).toMatchObject({ kind: 'image', size: 123_456, plaintextSize: 123_400, fileName: 'beach é.jpg', contentType: 'image/jpeg' });
    expect(toBase64(image!.blobId)).toBe(c.blobId);
    expect(toBase64(image!.key)).toBe(c.key);
    expect(toBase64(image!.digest)).toBe(c.digest);
    expect(toBase64(image!.thumbnail!)).toBe(c.thumbnail);
    expect(voice).toMatchObject({ kind: 'voice', durationMs: 4_250, fileName: 'voice.webm', contentType: 'audio/webm' });
    expect(voice!.thumbnail).toBeUndefined();
  });

  it('encodes the same bytes back (fields in tag order, as protobuf-java writes them)', () => {
    expect(toBase64(encodeContent(decodeContent(b(c.plaintext))))).toBe(c.plaintext);
  });

  it('keeps plain text plain, and shows bytes that are not structured content as text', () => {
    expect(encodeContent({ text: 'hi', attachments: [] })).toEqual(new TextEncoder().encode('hi'));
    expect(decodeContent(new TextEncoder().encode('hello'))).toEqual({ text: 'hello', attachments: [] });
    expect(decodeContent(Uint8Array.of(0, 0xff, 0xff)).attachments).toEqual([]);
  });
});

describe('what may be sent', () => {
  it('names a kind by the browser type, else by extension as the SDK does', () => {
    expect(kindOf('a.bin', 'image/png')).toBe('image');
    expect(kindOf('clip', 'video/webm')).toBe('video');
    expect(kindOf('note.OPUS', '')).toBe('voice');
    expect(kindOf('report.pdf', 'application/pdf')).toBe('document');
    expect(kindOf('README', '')).toBe('document');
  });

  it('refuses an empty file and one whose sealed size passes its cap, and lets the largest that fits through', () => {
    expect(() => refuseUnsendable(new Blob([]), 'empty.txt', 'document')).toThrow(/empty.txt is empty/);
    const largest = CAPS.image - 16 - 32 - 16; // IV, MAC and one block of padding
    expect(sealedSize(largest)).toBeLessThanOrEqual(CAPS.image);
    expect(() => refuseUnsendable(new Blob([new Uint8Array(largest)]), 'ok.jpg', 'image')).not.toThrow();
    expect(() => refuseUnsendable(new Blob([new Uint8Array(largest + 16)]), 'big.jpg', 'image'))
      .toThrow(expect.objectContaining({ code: 413 }));
  });
});
