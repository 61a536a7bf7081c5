// Helpers shared by the interop tests: session set-up between a Java and a TypeScript device in
// either direction, numbered plaintexts, and delivery bookkeeping.
package io.parley.web.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

final class Conversations {

  private Conversations() {}

  static String uniqueName(String role) {
    return role + "-" + UUID.randomUUID();
  }

  /** Gives `initiator` a session with `responder` from the responder's freshly published bundle. */
  static void establish(Endpoint initiator, Endpoint responder, boolean withOneTimePreKey) throws Exception {
    if (initiator instanceof TsParty ts && responder instanceof JavaDevice java) {
      ts.processBundle(java.address, JavaDevice.toJson(java.bundle(withOneTimePreKey)));
    } else if (initiator instanceof JavaDevice java && responder instanceof TsParty ts) {
      java.processBundle(ts.address, ts.bundle(withOneTimePreKey));
    } else {
      throw new IllegalArgumentException("one side must be Java and the other TypeScript");
    }
  }

  /** Sets up a session and completes the first round trip, so both sides send plain SignalMessages. */
  static void establishAndAcknowledge(Endpoint initiator, Endpoint responder) throws Exception {
    establish(initiator, responder, true);
    assertDelivered(responder, initiator, initiator.encrypt(responder.address(), texts("hello", 0, 1)), "hello", 0, 1);
    assertDelivered(initiator, responder, responder.encrypt(initiator.address(), texts("welcome", 0, 1)), "welcome", 0, 1);
  }

  /** Java to Java, for the benchmark: a session with its first round trip done. */
  static void establishAndAcknowledgeJava(JavaDevice alice, JavaDevice bob) throws Exception {
    new org.signal.libsignal.protocol.SessionBuilder(alice.store, bob.address).process(bob.bundle(true));
    bob.decrypt(alice.address, alice.encrypt(bob.address, texts("hello", 0, 1)));
    alice.decrypt(bob.address, bob.encrypt(alice.address, texts("welcome", 0, 1)));
  }

  static List<byte[]> texts(String prefix, int from, int count) {
    List<byte[]> texts = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      texts.add(text(prefix, i));
    }
    return texts;
  }

  static byte[] text(String prefix, int index) {
    return (prefix + " #" + index).getBytes(StandardCharsets.UTF_8);
  }

  static List<String> strings(String prefix, int from, int count) {
    return texts(prefix, from, count).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  /** Decrypts at `receiver` and checks each message gave the expected numbered text, in order. */
  static void assertDelivered(Endpoint receiver, Endpoint sender, List<Envelope> envelopes,
      String prefix, int from, int count) {
    List<Outcome> outcomes = receiver.decrypt(sender.address(), envelopes);
    assertThat(outcomes).hasSize(count);
    assertThat(outcomes).extracting(Outcome::errorType).allMatch(java.util.Objects::isNull);
    assertThat(outcomes).extracting(Outcome::text).containsExactlyElementsOf(strings(prefix, from, count));
  }

  static Envelope withFlippedByte(Envelope envelope, int indexFromEnd) {
    byte[] body = envelope.body().clone();
    body[body.length - 1 - indexFromEnd] ^= 0x01;
    return new Envelope(envelope.type(), body);
  }

  static Envelope truncated(Envelope envelope, int length) {
    byte[] body = new byte[length];
    System.arraycopy(envelope.body(), 0, body, 0, length);
    return new Envelope(envelope.type(), body);
  }
}
