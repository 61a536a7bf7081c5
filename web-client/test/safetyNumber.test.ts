// The web client's safety numbers against the Java SDK's (test/fixtures/safety-numbers.json, written
// and checked by SafetyNumberVectorTest with io.parley.client.signal.SafetyNumbers).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { safetyNumber } from '../src/app/crypto/safetyNumber.js';
import { uuidBytes } from '../src/app/net/ids.js';
import { fromBase64 } from '../src/signal/bytes.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/safety-numbers.json', import.meta.url), 'utf8'));

describe('safety numbers', () => {
  it('are the Java SDK\'s digits for the same users and identity keys', () => {
    expect(fixture.vectors.length).toBeGreaterThan(0);
    for (const v of fixture.vectors) {
      const self = uuidBytes(v.self);
      const peer = uuidBytes(v.peer);
      expect(safetyNumber(self, fromBase64(v.selfKey), peer, fromBase64(v.peerKey))).toBe(v.safetyNumber);
      expect(safetyNumber(peer, fromBase64(v.peerKey), self, fromBase64(v.selfKey))).toBe(v.safetyNumber);
    }
  });

  it('change when one identity key changes', () => {
    const v = fixture.vectors[0];
    const other = fromBase64(v.peerKey);
    other[10]! ^= 1;
    expect(safetyNumber(uuidBytes(v.self), fromBase64(v.selfKey), uuidBytes(v.peer), other)).not.toBe(v.safetyNumber);
  });

  it('refuse a key that is not an identity key, and an id that is not 16 bytes', () => {
    const v = fixture.vectors[0];
    expect(() => safetyNumber(uuidBytes(v.self), new Uint8Array(32), uuidBytes(v.peer), fromBase64(v.peerKey)))
      .toThrow(/not an identity key/);
    expect(() => safetyNumber(new Uint8Array(15), fromBase64(v.selfKey), uuidBytes(v.peer), fromBase64(v.peerKey)))
      .toThrow(/not a 16-byte user id/);
  });
});
