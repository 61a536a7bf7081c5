// Unit tests of the app's wire helpers: ids as the JSON frames carry them, and readable failures
// (the group notice reader is in groupNotices.test.ts).
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../src/signal/index.js';
import { ParleyError, readable } from '../src/app/net/failure.js';
import { uuidBytes, uuidFromBase64, uuidToBase64 } from '../src/app/net/ids.js';

const ID = '0f8e2b6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b';

describe('ids', () => {
  it('round-trips a UUID through the 16-byte base64 form of the frames', () => {
    expect(uuidFromBase64(uuidToBase64(ID))).toBe(ID);
    expect(uuidBytes(ID)[0]).toBe(0x0f);
  });

  it('refuses what is not a 16-byte id', () => {
    expect(() => uuidFromBase64(toBase64(new Uint8Array(15)))).toThrow(/16-byte/);
    expect(() => uuidToBase64('not-a-uuid')).toThrow(/UUID/);
  });
});

describe('failures', () => {
  it('reads as a sentence with the code and the server detail', () => {
    expect(readable(new ParleyError(404, 'no such user'))).toBe('Not found (404): no such user');
    expect(readable(new ParleyError(413, 'too big'))).toContain('Too large (413)');
  });
});
