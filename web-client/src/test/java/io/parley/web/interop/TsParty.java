// A device whose protocol code is the TypeScript library, driven through a TsDriver.
package io.parley.web.interop;

import static io.parley.web.interop.TsDriver.b64;
import static io.parley.web.interop.TsDriver.unb64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.signal.libsignal.protocol.SignalProtocolAddress;

final class TsParty implements Endpoint {

  final String name;
  final int deviceId = 1;
  final SignalProtocolAddress address;
  final byte[] identityKey;
  private final TsDriver driver;

  TsParty(TsDriver driver, String name) {
    this.driver = driver;
    this.name = name;
    this.address = new SignalProtocolAddress(name, deviceId);
    ObjectNode request = driver.request("newParty").put("name", name).put("registrationId", 4242);
    this.identityKey = unb64(driver.call(request).path("identityKey"));
  }

  /** Publishes fresh prekeys and returns the bundle as the server would hand it out. */
  JsonNode bundle(boolean withOneTimePreKey) {
    return driver.call(driver.request("bundle").put("name", name).put("oneTimePreKey", withOneTimePreKey));
  }

  void processBundle(SignalProtocolAddress peer, ObjectNode bundle) {
    ObjectNode request = driver.request("processBundle").put("name", name);
    request.set("peer", TsDriver.address(peer.getName(), peer.getDeviceId()));
    request.set("bundle", bundle);
    driver.call(request);
  }

  @Override
  public SignalProtocolAddress address() {
    return address;
  }

  @Override
  public String invalidMessageError() {
    return "InvalidMessageError";
  }

  @Override
  public String duplicateMessageError() {
    return "DuplicateMessageError";
  }

  @Override
  public List<Envelope> encrypt(SignalProtocolAddress peer, List<byte[]> plaintexts) {
    ObjectNode request = driver.request("encrypt").put("name", name);
    request.set("peer", TsDriver.address(peer.getName(), peer.getDeviceId()));
    request.set("plaintexts", TsDriver.array(plaintexts.stream().map(TsDriver::b64).toList()));
    List<Envelope> envelopes = new ArrayList<>();
    for (JsonNode message : driver.call(request).path("messages")) {
      envelopes.add(new Envelope(message.path("type").asInt(), unb64(message.path("body"))));
    }
    return envelopes;
  }

  @Override
  public List<Outcome> decrypt(SignalProtocolAddress peer, List<Envelope> envelopes) {
    ObjectNode request = driver.request("decrypt").put("name", name);
    request.set("peer", TsDriver.address(peer.getName(), peer.getDeviceId()));
    ArrayNode messages = request.putArray("messages");
    for (Envelope envelope : envelopes) {
      messages.addObject().put("type", envelope.type()).put("body", b64(envelope.body()));
    }
    return outcomes(driver.call(request).path("results"));
  }

  byte[] createSenderKeyDistribution(UUID distributionId) {
    ObjectNode request = driver.request("createSkdm").put("name", name).put("distributionId", distributionId.toString());
    request.set("self", TsDriver.address(name, deviceId));
    return unb64(driver.call(request).path("skdm"));
  }

  void processSenderKeyDistribution(SignalProtocolAddress sender, byte[] distributionMessage) {
    ObjectNode request = driver.request("processSkdm").put("name", name).put("skdm", b64(distributionMessage));
    request.set("sender", TsDriver.address(sender.getName(), sender.getDeviceId()));
    driver.call(request);
  }

  List<byte[]> groupEncrypt(UUID distributionId, List<byte[]> plaintexts) {
    ObjectNode request = driver.request("groupEncrypt").put("name", name).put("distributionId", distributionId.toString());
    request.set("self", TsDriver.address(name, deviceId));
    request.set("plaintexts", TsDriver.array(plaintexts.stream().map(TsDriver::b64).toList()));
    List<byte[]> messages = new ArrayList<>();
    driver.call(request).path("messages").forEach(message -> messages.add(unb64(message)));
    return messages;
  }

  List<Outcome> groupDecrypt(SignalProtocolAddress sender, List<byte[]> messages) {
    ObjectNode request = driver.request("groupDecrypt").put("name", name);
    request.set("sender", TsDriver.address(sender.getName(), sender.getDeviceId()));
    request.set("messages", TsDriver.array(messages.stream().map(TsDriver::b64).toList()));
    return outcomes(driver.call(request).path("results"));
  }

  /** Saves the whole store as JSON text and loads it back, as a page reload does. */
  void reload() {
    driver.call(driver.request("reload").put("name", name));
  }

  private static List<Outcome> outcomes(JsonNode results) {
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode result : results) {
      outcomes.add(result.has("plaintext")
          ? Outcome.ok(unb64(result.path("plaintext")))
          : Outcome.failed(result.path("errorType").asText()));
    }
    return outcomes;
  }
}
