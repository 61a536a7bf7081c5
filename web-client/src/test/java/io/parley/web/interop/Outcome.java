// The result of decrypting one message: its plaintext, or the name of the error it was refused with.
package io.parley.web.interop;

import java.nio.charset.StandardCharsets;

record Outcome(byte[] plaintext, String errorType) {

  static Outcome ok(byte[] plaintext) {
    return new Outcome(plaintext, null);
  }

  static Outcome failed(String errorType) {
    return new Outcome(null, errorType);
  }

  boolean succeeded() {
    return plaintext != null;
  }

  String text() {
    return plaintext == null ? null : new String(plaintext, StandardCharsets.UTF_8);
  }
}
