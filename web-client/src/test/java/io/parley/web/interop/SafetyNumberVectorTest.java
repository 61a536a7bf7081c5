// The safety-number vectors the Vitest test checks (test/fixtures/safety-numbers.json) are the Java
// SDK's SafetyNumbers for fixed users and identity keys: this test recomputes them with the SDK and
// fails when the file says otherwise; -Dvectors.write=true writes the file anew.
package io.parley.web.interop;

import static io.parley.web.interop.TsDriver.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.client.signal.SafetyNumbers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.IdentityKey;

class SafetyNumberVectorTest {
  private static final Path FIXTURE =
      Path.of(System.getProperty("webClient.dir", ".")).resolve("test/fixtures/safety-numbers.json");

  @Test
  void theFixtureHoldsTheJavaSdksSafetyNumbers() throws Exception {
    ArrayNode computed = TsDriver.JSON.createArrayNode();
    for (int i = 0; i < 4; i++) {
      UUID self = UUID.nameUUIDFromBytes(("self " + i).getBytes());
      UUID peer = UUID.nameUUIDFromBytes(("peer " + i).getBytes());
      byte[] mine = fixedKey(i * 2);
      byte[] theirs = fixedKey(i * 2 + 1);
      computed.addObject()
          .put("self", self.toString())
          .put("selfKey", b64(mine))
          .put("peer", peer.toString())
          .put("peerKey", b64(theirs))
          .put("safetyNumber", SafetyNumbers.displayed(self, new IdentityKey(mine), peer, new IdentityKey(theirs)))
          // The peer's view of the same pair: the same digits.
          .put("peerSees", SafetyNumbers.displayed(peer, new IdentityKey(theirs), self, new IdentityKey(mine)));
    }
    ObjectNode root = TsDriver.JSON.createObjectNode();
    root.put("producedBy", "io.parley.client.signal.SafetyNumbers (libsignal 0.86.5), SafetyNumberVectorTest");
    root.set("vectors", computed);
    if (Boolean.getBoolean("vectors.write")) {
      Files.writeString(FIXTURE, TsDriver.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
    JsonNode stored = TsDriver.JSON.readTree(FIXTURE.toFile());
    assertThat(stored).isEqualTo(root);
    for (JsonNode v : computed) {
      assertThat(v.get("safetyNumber").asText()).matches("(\\d{5} ){11}\\d{5}").isEqualTo(v.get("peerSees").asText());
    }
  }

  /** A valid identity key (0x05 ‖ any 32 bytes is an X25519 public key), different for each seed. */
  private static byte[] fixedKey(int seed) {
    byte[] key = new byte[33];
    key[0] = 0x05;
    for (int i = 1; i < key.length; i++) {
      key[i] = (byte) (seed * 37 + i * 11 + 3);
    }
    return key;
  }
}
