// The minimal protobuf codec: tag-ordered output, proto2 reading rules, and malformed input.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/signal/bytes.js';
import { InvalidMessageError } from '../src/signal/errors.js';
import { decodeProto, encodeProto } from '../src/signal/protobuf.js';

const schema = { 1: 'bytes', 2: 'uint32', 3: 'uint32' } as const;

describe('protobuf codec', () => {
  it('writes varints and length-delimited fields, zero values included', () => {
    const bytes = encodeProto([
      [1, Uint8Array.of(0xaa, 0xbb)],
      [2, 0],
      [3, 300],
    ]);
    expect(toHex(bytes)).toBe('0a02aabb100018ac02');
  });

  it('writes the largest uint32 in five bytes', () => {
    expect(toHex(encodeProto([[2, 0xffffffff]]))).toBe('10ffffffff0f');
    expect(() => encodeProto([[2, 2 ** 32]])).toThrow(RangeError);
  });

  it('reads what it writes and leaves absent fields out', () => {
    const fields = decodeProto(encodeProto([[1, Uint8Array.of(1, 2, 3)], [3, 7]]), schema);
    expect(fields.get(1)).toEqual(Uint8Array.of(1, 2, 3));
    expect(fields.get(2)).toBeUndefined();
    expect(fields.get(3)).toBe(7);
  });

  it('skips unknown fields of every wire type and keeps the last of repeated ones', () => {
    // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, field 2 twice.
    const bytes = fromHex('4801' + '510102030405060708' + '5a03010203' + '6501020304' + '1005' + '1006');
    expect(decodeProto(bytes, schema).get(2)).toBe(6);
  });

  it('keeps the low 32 bits of a 64-bit varint, as prost does for uint32', () => {
    expect(decodeProto(fromHex('1081808080 10'.replace(' ', '')), schema).get(2)).toBe(1);
  });

  it('rejects truncation, wrong wire types, groups and field number 0', () => {
    for (const hex of ['0a05aabb', '10', '1080', '0801', '0b', '0001', '10ffffffffffffffffff7f']) {
      expect(() => decodeProto(fromHex(hex), schema), hex).toThrow(InvalidMessageError);
    }
  });
});
