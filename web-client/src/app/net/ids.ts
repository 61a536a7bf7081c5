// Ids as the wire carries them: 16-byte UUIDs in base64 (canonical protobuf JSON), shown and
// stored by the app as lower-case UUID strings.
import { fromBase64, toBase64 } from '../../signal/index.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidFromBase64(value: string | undefined): string {
  const bytes = fromBase64(value ?? '');
  if (bytes.length !== 16) throw new Error(`not a 16-byte id: ${value}`);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBase64(uuid: string): string {
  return toBase64(uuidBytes(uuid));
}

export function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.toLowerCase();
  if (!UUID_PATTERN.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  const digits = hex.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function randomUuid(): string {
  return crypto.randomUUID();
}

/** 64-bit numbers travel as strings in canonical JSON; timestamps fit a double. */
export function toNumber(value: string | number | undefined): number {
  return value === undefined ? 0 : Number(value);
}
