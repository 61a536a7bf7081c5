// Writes the known-answer vectors the Vitest unit tests check (test/fixtures/libsignal-0.86.5.json),
// produced by the real Java libsignal. Runs only on demand; see docs/signal-ts.md for the command.
package io.parley.web.interop;

import static io.parley.web.interop.TsDriver.b64;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.state.PreKeyBundle;

@EnabledIfSystemProperty(named = "vectors.write", matches = "true")
class LibsignalVectorsWriter {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void writeVectors() throws Exception {
    ObjectNode root = TsDriver.JSON.createObjectNode();
    root.put("producedBy", "org.signal:libsignal-client:0.86.5 (Java), LibsignalVectorsWriter");
    root.set("x25519", x25519());
    root.set("xeddsa", xeddsa());
    root.set("pqxdh", pqxdh());
    root.set("senderKeys", senderKeys());
    Path out = Path.of(System.getProperty("webClient.dir", ".")).resolve("test/fixtures/libsignal-0.86.5.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, TsDriver.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static ArrayNode x25519() {
    ArrayNode vectors = TsDriver.JSON.createArrayNode();
    for (int i = 0; i < 3; i++) {
      ECKeyPair ours = ECKeyPair.generate();
      ECKeyPair theirs = ECKeyPair.generate();
      vectors.addObject()
          .put("privateKey", b64(ours.getPrivateKey().serialize()))
          .put("publicKey", b64(ours.getPublicKey().serialize()))
          .put("peerPublicKey", b64(theirs.getPublicKey().serialize()))
          .put("sharedSecret", b64(ours.getPrivateKey().calculateAgreement(theirs.getPublicKey())));
    }
    return vectors;
  }

  private static ArrayNode xeddsa() {
    ArrayNode vectors = TsDriver.JSON.createArrayNode();
    for (int length : new int[] {0, 1, 33, 100, 1000}) {
      ECKeyPair key = ECKeyPair.generate();
      byte[] message = new byte[length];
      RANDOM.nextBytes(message);
      vectors.addObject()
          .put("publicKey", b64(key.getPublicKey().serialize()))
          .put("message", b64(message))
          .put("signature", b64(key.getPrivateKey().calculateSignature(message)));
    }
    return vectors;
  }

  /** Bob's private keys and Alice's first PreKeySignalMessages, so TypeScript can play Bob. */
  private static ObjectNode pqxdh() throws Exception {
    JavaDevice alice = new JavaDevice("alice");
    JavaDevice bob = new JavaDevice("bob");
    PreKeyBundle bundle = bob.bundle(true);
    new SessionBuilder(alice.store, bob.address).process(bundle);
    List<Envelope> messages = alice.encrypt(bob.address, List.of(utf8("first from libsignal"), utf8("second")));

    ObjectNode vector = TsDriver.JSON.createObjectNode();
    vector.put("bobRegistrationId", bob.store.getLocalRegistrationId());
    vector.put("bobIdentityPrivate", b64(bob.identity.getPrivateKey().serialize()));
    vector.put("bobIdentityPublic", b64(bob.identity.getPublicKey().serialize()));
    vector.put("signedPreKeyId", bundle.getSignedPreKeyId());
    vector.put("signedPreKeyPrivate", b64(bob.store.loadSignedPreKey(bundle.getSignedPreKeyId()).getKeyPair().getPrivateKey().serialize()));
    vector.put("preKeyId", bundle.getPreKeyId());
    vector.put("preKeyPrivate", b64(bob.store.loadPreKey(bundle.getPreKeyId()).getKeyPair().getPrivateKey().serialize()));
    vector.put("kyberPreKeyId", bundle.getKyberPreKeyId());
    vector.put("kyberPublic", b64(bundle.getKyberPreKey().serialize()));
    vector.put("kyberSecret", b64(bob.store.loadKyberPreKey(bundle.getKyberPreKeyId()).getKeyPair().getSecretKey().serialize()));
    vector.put("aliceIdentityPublic", b64(alice.identity.getPublicKey().serialize()));
    ArrayNode out = vector.putArray("messages");
    out.addObject().put("type", messages.get(0).type()).put("body", b64(messages.get(0).body())).put("plaintext", "first from libsignal");
    out.addObject().put("type", messages.get(1).type()).put("body", b64(messages.get(1).body())).put("plaintext", "second");
    return vector;
  }

  private static ObjectNode senderKeys() throws Exception {
    JavaDevice sender = new JavaDevice("sender");
    UUID distributionId = UUID.randomUUID();
    byte[] distribution = sender.createSenderKeyDistribution(distributionId);
    List<byte[]> messages = sender.groupEncrypt(distributionId, List.of(utf8("g0"), utf8("g1"), utf8("g2")));
    ObjectNode vector = TsDriver.JSON.createObjectNode();
    vector.put("distributionId", distributionId.toString());
    vector.put("distributionMessage", b64(distribution));
    ArrayNode out = vector.putArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      out.addObject().put("body", b64(messages.get(i))).put("plaintext", "g" + i);
    }
    return vector;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

}
