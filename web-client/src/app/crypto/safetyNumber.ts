// Safety numbers in libsignal's numeric fingerprint format, as the Java SDK's SafetyNumbers shows
// them: for each side, SHA-512 iterated 5,200 times over (version 0 ‖ identity key ‖ user UUID),
// then key again each round; its first 30 bytes as six 5-digit numbers; the two halves in sorted
// order, so both people see the same 60 digits. Test vectors come from the Java SDK.
import { sha512 } from '@noble/hashes/sha2.js';

/** Rounds of SHA-512 per side: Signal's value, and the SDK's. */
export const SAFETY_ITERATIONS = 5200;
const FINGERPRINT_VERSION = Uint8Array.of(0, 0);
const IDENTITY_KEY_BYTES = 33;
const USER_ID_BYTES = 16;

/** One side: thirty digits from the user's id and identity key (0x05 ‖ 32 bytes). */
function half(userId: Uint8Array, identityKey: Uint8Array, iterations: number): string {
  if (identityKey.length !== IDENTITY_KEY_BYTES || identityKey[0] !== 0x05) {
    throw new Error(`not an identity key (0x05 and 32 bytes): ${identityKey.length} bytes`);
  }
  if (userId.length !== USER_ID_BYTES) throw new Error(`not a 16-byte user id: ${userId.length} bytes`);
  let hash = concat(FINGERPRINT_VERSION, identityKey, userId);
  for (let i = 0; i < iterations; i++) hash = sha512(concat(hash, identityKey));
  let digits = '';
  for (let offset = 0; offset < 30; offset += 5) {
    // Five bytes as a 40-bit big-endian number (fits a double exactly), modulo 100000.
    let chunk = 0;
    for (let i = 0; i < 5; i++) chunk = chunk * 256 + hash[offset + i]!;
    digits += String(chunk % 100_000).padStart(5, '0');
  }
  return digits;
}

/** The 60 digits two users compare, in twelve groups of five (the same text on both sides). */
export function safetyNumber(localId: Uint8Array, localKey: Uint8Array, remoteId: Uint8Array, remoteKey: Uint8Array,
    iterations = SAFETY_ITERATIONS): string {
  const local = half(localId, localKey, iterations);
  const remote = half(remoteId, remoteKey, iterations);
  const digits = local <= remote ? local + remote : remote + local;
  return digits.match(/.{5}/g)!.join(' ');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
