// One encrypted message as it travels between devices: libsignal's envelope type and the bytes.
package io.parley.web.interop;

import org.signal.libsignal.protocol.message.CiphertextMessage;

record Envelope(int type, byte[] body) {

  static Envelope of(CiphertextMessage message) {
    return new Envelope(message.getType(), message.serialize());
  }
}
