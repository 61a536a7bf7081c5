// A minimal proto2 codec for the four wire messages (uint32 and bytes fields only). It writes
// fields in tag order like prost, and reads any valid encoding, skipping unknown fields.
import { InvalidMessageError } from './errors.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export type ProtoFieldValue = number | Uint8Array;

/** Field number → value, in ascending field order; undefined values are left out. */
export type ProtoFields = ReadonlyArray<readonly [number, ProtoFieldValue | undefined]>;

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

function writeVarint(out: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    out[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[offset++] = value;
  return offset;
}

function checkUint32(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`not a uint32: ${value}`);
  }
}

/** Encodes the fields in the order given (callers list them by ascending tag). */
export function encodeProto(fields: ProtoFields): Uint8Array {
  let length = 0;
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    if (typeof value === 'number') {
      checkUint32(value);
      length += varintLength(field << 3) + varintLength(value);
    } else {
      length += varintLength(field << 3) + varintLength(value.length) + value.length;
    }
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    if (typeof value === 'number') {
      offset = writeVarint(out, offset, (field << 3) | WIRE_VARINT);
      offset = writeVarint(out, offset, value);
    } else {
      offset = writeVarint(out, offset, (field << 3) | WIRE_LENGTH_DELIMITED);
      offset = writeVarint(out, offset, value.length);
      out.set(value, offset);
      offset += value.length;
    }
  }
  return out;
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Reads up to a 64-bit varint and keeps its low 32 bits, as prost does for uint32. */
  varint(): number {
    let low = 0;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length) throw new InvalidMessageError('truncated varint');
      const byte = this.bytes[this.offset++]!;
      if (i === 9 && byte > 1) throw new InvalidMessageError('varint overflow');
      if (i < 5) low += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return low % 0x100000000;
    }
    throw new InvalidMessageError('varint too long');
  }

  take(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) throw new InvalidMessageError('truncated field');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/**
 * Decodes a message whose known fields are all uint32 or bytes. `schema` maps each known field
 * number to its kind; a known field with the wrong wire type is an error, unknown fields are
 * skipped, and a repeated occurrence replaces the previous one (proto2 optional semantics).
 */
export function decodeProto(
  bytes: Uint8Array,
  schema: Readonly<Record<number, 'uint32' | 'bytes'>>,
): Map<number, ProtoFieldValue> {
  return new Map(decodeProtoList(bytes, schema));
}

/** Every known field in the order it was read, repeated ones included (for repeated fields). */
export function decodeProtoList(
  bytes: Uint8Array,
  schema: Readonly<Record<number, 'uint32' | 'bytes'>>,
): [number, ProtoFieldValue][] {
  const reader = new Reader(bytes);
  const fields: [number, ProtoFieldValue][] = [];
  while (!reader.done) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 0) throw new InvalidMessageError('field number 0');
    const kind = schema[field];
    if (kind === 'uint32') {
      if (wireType !== WIRE_VARINT) throw new InvalidMessageError(`field ${field}: wrong wire type`);
      fields.push([field, reader.varint()]);
      continue;
    }
    if (kind === 'bytes') {
      if (wireType !== WIRE_LENGTH_DELIMITED) {
        throw new InvalidMessageError(`field ${field}: wrong wire type`);
      }
      // Copy, so a decoded field never aliases the caller's buffer.
      fields.push([field, reader.take(reader.varint()).slice()]);
      continue;
    }
    switch (wireType) {
      case WIRE_VARINT:
        reader.varint();
        break;
      case WIRE_FIXED64:
        reader.take(8);
        break;
      case WIRE_LENGTH_DELIMITED:
        reader.take(reader.varint());
        break;
      case WIRE_FIXED32:
        reader.take(4);
        break;
      default:
        throw new InvalidMessageError(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

export function optionalUint32(fields: Map<number, ProtoFieldValue>, field: number): number | undefined {
  const value = fields.get(field);
  return typeof value === 'number' ? value : undefined;
}

export function optionalBytes(fields: Map<number, ProtoFieldValue>, field: number): Uint8Array | undefined {
  const value = fields.get(field);
  return value instanceof Uint8Array ? value : undefined;
}

export function requiredUint32(fields: Map<number, ProtoFieldValue>, field: number, name: string): number {
  const value = optionalUint32(fields, field);
  if (value === undefined) throw new InvalidMessageError(`missing ${name}`);
  return value;
}

export function requiredBytes(fields: Map<number, ProtoFieldValue>, field: number, name: string): Uint8Array {
  const value = optionalBytes(fields, field);
  if (value === undefined) throw new InvalidMessageError(`missing ${name}`);
  return value;
}
