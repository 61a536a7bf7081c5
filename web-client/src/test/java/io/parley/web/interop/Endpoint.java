// What a test needs from either side of a one-to-one conversation, TypeScript or Java, so the
// same scenario runs in both directions.
package io.parley.web.interop;

import java.util.List;
import org.signal.libsignal.protocol.SignalProtocolAddress;

interface Endpoint {

  SignalProtocolAddress address();

  List<Envelope> encrypt(SignalProtocolAddress peer, List<byte[]> plaintexts);

  List<Outcome> decrypt(SignalProtocolAddress peer, List<Envelope> envelopes);

  /** The name of the error this side reports for a forged, truncated or undecryptable message. */
  String invalidMessageError();

  /** The name of the error this side reports for a message it has already decrypted. */
  String duplicateMessageError();
}
