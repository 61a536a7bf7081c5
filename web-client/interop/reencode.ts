// Parses a message produced by the Java library and writes it again with the TypeScript encoder,
// keeping its MAC or signature: equal bytes prove both sides encode the protobufs identically.
import { concatBytes } from '../src/signal/bytes.js';
import { MAC_LENGTH, parsePreKeySignalMessage, parseSignalMessage } from '../src/signal/messages.js';
import { encodeProto } from '../src/signal/protobuf.js';
import {
  parseSenderKeyDistributionMessage,
  parseSenderKeyMessage,
  uuidToBytes,
} from '../src/signal/senderKeyMessages.js';
import { SIGNATURE_LENGTH } from '../src/signal/xeddsa.js';

export function reencode(kind: string, serialized: Uint8Array): Uint8Array {
  const version = serialized.subarray(0, 1);
  switch (kind) {
    case 'signal': {
      const m = parseSignalMessage(serialized);
      const proto = encodeProto([
        [1, m.senderRatchetKey],
        [2, m.counter],
        [3, m.previousCounter],
        [4, m.ciphertext],
        [5, m.pqRatchet.length > 0 ? m.pqRatchet : undefined],
      ]);
      return concatBytes(version, proto, serialized.subarray(serialized.length - MAC_LENGTH));
    }
    case 'prekey': {
      const m = parsePreKeySignalMessage(serialized);
      const proto = encodeProto([
        [1, m.preKeyId],
        [2, m.baseKey],
        [3, m.identityKey],
        [4, m.message.serialized],
        [5, m.registrationId],
        [6, m.signedPreKeyId],
        [7, m.kyberPreKeyId],
        [8, m.kyberCiphertext],
      ]);
      return concatBytes(version, proto);
    }
    case 'senderKey': {
      const m = parseSenderKeyMessage(serialized);
      const proto = encodeProto([
        [1, uuidToBytes(m.distributionId)],
        [2, m.chainId],
        [3, m.iteration],
        [4, m.ciphertext],
      ]);
      return concatBytes(version, proto, serialized.subarray(serialized.length - SIGNATURE_LENGTH));
    }
    case 'distribution': {
      const m = parseSenderKeyDistributionMessage(serialized);
      const proto = encodeProto([
        [1, uuidToBytes(m.distributionId)],
        [2, m.chainId],
        [3, m.iteration],
        [4, m.chainKey],
        [5, m.signingKey],
      ]);
      return concatBytes(version, proto);
    }
    default:
      throw new Error(`unknown message kind ${kind}`);
  }
}
