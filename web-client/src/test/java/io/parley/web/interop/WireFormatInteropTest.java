// The wire format and primitives against the Java libsignal 0.86.5: X25519, XEdDSA in both
// directions, byte-identical protobuf encodings, and SPQR's fallback when the TypeScript side omits it.
package io.parley.web.interop;

import static io.parley.web.interop.Conversations.assertDelivered;
import static io.parley.web.interop.Conversations.establish;
import static io.parley.web.interop.Conversations.texts;
import static io.parley.web.interop.Conversations.uniqueName;
import static io.parley.web.interop.TsDriver.b64;
import static io.parley.web.interop.TsDriver.unb64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireFormatInteropTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static TsDriver driver;

  @BeforeAll
  static void startDriver() {
    driver = TsDriver.start();
  }

  @AfterAll
  static void stopDriver() throws InterruptedException {
    driver.close();
  }

  @Test
  void x25519KeysAndAgreementsMatchJava() throws Exception {
    for (int i = 0; i < 20; i++) {
      byte[] seed = new byte[32];
      RANDOM.nextBytes(seed);
      ECPrivateKey ours = new ECPrivateKey(seed);
      ECKeyPair theirs = ECKeyPair.generate();
      byte[] publicKey = unb64(driver.call(driver.request("publicKey").put("privateKey", b64(seed))).path("publicKey"));
      assertThat(publicKey).isEqualTo(ours.publicKey().serialize());
      byte[] agreement = unb64(driver.call(driver.request("agree")
          .put("privateKey", b64(seed))
          .put("publicKey", b64(theirs.getPublicKey().serialize()))).path("sharedSecret"));
      assertThat(agreement).isEqualTo(ours.calculateAgreement(theirs.getPublicKey()));
    }
  }

  @Test
  void xeddsaSignaturesFromJavaVerifyInTypeScript() {
    for (int i = 0; i < 20; i++) {
      ECKeyPair key = ECKeyPair.generate();
      byte[] message = randomMessage(i * 7);
      byte[] signature = key.getPrivateKey().calculateSignature(message);
      assertThat(verifyInTypeScript(key.getPublicKey(), message, signature)).isTrue();
      signature[i % 64] ^= 0x04;
      assertThat(verifyInTypeScript(key.getPublicKey(), message, signature)).isFalse();
    }
  }

  @Test
  void xeddsaSignaturesFromTypeScriptVerifyInJava() throws Exception {
    for (int i = 0; i < 20; i++) {
      ECKeyPair key = ECKeyPair.generate();
      byte[] message = randomMessage(i * 7);
      byte[] signature = unb64(driver.call(driver.request("sign")
          .put("privateKey", b64(key.getPrivateKey().serialize()))
          .put("message", b64(message))).path("signature"));
      assertThat(key.getPublicKey().verifySignature(message, signature)).isTrue();
      message = message.length == 0 ? new byte[] {1} : message;
      message[0] ^= 0x01;
      assertThat(key.getPublicKey().verifySignature(message, signature)).isFalse();
    }
  }

  @Test
  void javaMessagesReencodeByteForByteInTypeScript() throws Exception {
    JavaDevice alice = new JavaDevice(uniqueName("java-alice"));
    JavaDevice bob = new JavaDevice(uniqueName("java-bob"));
    alice.store.saveIdentity(bob.address, bob.identity.getPublicKey());
    new org.signal.libsignal.protocol.SessionBuilder(alice.store, bob.address).process(bob.bundle(true));
    Envelope preKey = alice.encrypt(bob.address, texts("x", 0, 1)).get(0);
    bob.decrypt(alice.address, List.of(preKey));
    Envelope reply = bob.encrypt(alice.address, texts("y", 0, 1)).get(0);
    UUID distributionId = UUID.randomUUID();
    byte[] distribution = alice.createSenderKeyDistribution(distributionId);
    byte[] groupMessage = alice.groupEncrypt(distributionId, texts("z", 0, 1)).get(0);

    assertReencodes("prekey", preKey.body());
    assertReencodes("signal", new PreKeySignalMessage(preKey.body()).getWhisperMessage().serialize());
    assertReencodes("signal", reply.body());
    assertReencodes("distribution", distribution);
    assertReencodes("senderKey", groupMessage);
  }

  @Test
  void javaOffersSpqrAndFallsBackToTheClassicRatchetWhenTypeScriptOmitsIt() throws Exception {
    JavaDevice java = new JavaDevice(uniqueName("java"));
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    establish(java, ts, true);
    List<Envelope> offered = java.encrypt(ts.address(), texts("offer", 0, 2));
    // As initiator, Java attaches an SPQR payload to its first messages...
    assertThat(new PreKeySignalMessage(offered.get(0).body()).getWhisperMessage().getPqRatchet()).isNotEmpty();
    // ...whose message keys are still classic (no SPQR key before negotiation), so TypeScript reads them.
    assertDelivered(ts, java, offered, "offer", 0, 2);
    assertDelivered(java, ts, ts.encrypt(java.address(), texts("no spqr", 0, 1)), "no spqr", 0, 1);
    // Receiving a message without the field negotiates Java down to the classic ratchet for good.
    List<Envelope> after = java.encrypt(ts.address(), texts("classic", 0, 3));
    for (Envelope envelope : after) {
      assertThat(new SignalMessage(envelope.body()).getPqRatchet()).isEmpty();
    }
    assertDelivered(ts, java, after, "classic", 0, 3);

    // As responder to a TypeScript initiator, Java never sends the field at all.
    JavaDevice responder = new JavaDevice(uniqueName("java"));
    TsParty initiator = new TsParty(driver, uniqueName("ts"));
    establish(initiator, responder, true);
    assertDelivered(responder, initiator, initiator.encrypt(responder.address(), texts("hi", 0, 1)), "hi", 0, 1);
    for (Envelope envelope : responder.encrypt(initiator.address(), texts("hey", 0, 2))) {
      assertThat(new SignalMessage(envelope.body()).getPqRatchet()).isEmpty();
    }
  }

  private void assertReencodes(String kind, byte[] serialized) {
    byte[] again = unb64(driver.call(driver.request("reencode").put("kind", kind).put("serialized", b64(serialized)))
        .path("serialized"));
    assertThat(again).as(kind).isEqualTo(serialized);
  }

  private boolean verifyInTypeScript(ECPublicKey publicKey, byte[] message, byte[] signature) {
    return driver.call(driver.request("verify")
        .put("publicKey", b64(publicKey.serialize()))
        .put("message", b64(message))
        .put("signature", b64(signature))).path("valid").asBoolean();
  }

  private static byte[] randomMessage(int length) {
    byte[] message = new byte[length];
    RANDOM.nextBytes(message);
    return length == 0 ? "".getBytes(StandardCharsets.UTF_8) : message;
  }
}
