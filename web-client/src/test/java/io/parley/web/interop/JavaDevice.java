// A device whose protocol code is the real Java libsignal 0.86.5, with an in-memory store.
package io.parley.web.interop;

import static io.parley.web.interop.TsDriver.b64;
import static io.parley.web.interop.TsDriver.unb64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

final class JavaDevice implements Endpoint {

  private static final AtomicInteger KEY_IDS = new AtomicInteger(1);

  final String name;
  final int deviceId = 1;
  final SignalProtocolAddress address;
  final IdentityKeyPair identity = IdentityKeyPair.generate();
  final InMemorySignalProtocolStore store;

  JavaDevice(String name) {
    this.name = name;
    this.address = new SignalProtocolAddress(name, deviceId);
    this.store = new InMemorySignalProtocolStore(identity, 1000 + KEY_IDS.incrementAndGet());
  }

  /** Publishes fresh prekeys (EC signed, Kyber1024 one-time, optionally an EC one-time key). */
  PreKeyBundle bundle(boolean withOneTimePreKey) {
    int signedId = KEY_IDS.incrementAndGet();
    ECKeyPair signed = ECKeyPair.generate();
    byte[] signedSignature = identity.getPrivateKey().calculateSignature(signed.getPublicKey().serialize());
    store.storeSignedPreKey(signedId, new SignedPreKeyRecord(signedId, System.currentTimeMillis(), signed, signedSignature));

    int kyberId = KEY_IDS.incrementAndGet();
    KEMKeyPair kyber = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
    byte[] kyberSignature = identity.getPrivateKey().calculateSignature(kyber.getPublicKey().serialize());
    store.storeKyberPreKey(kyberId, new KyberPreKeyRecord(kyberId, System.currentTimeMillis(), kyber, kyberSignature));

    int preKeyId = PreKeyBundle.NULL_PRE_KEY_ID;
    ECPublicKey preKey = null;
    if (withOneTimePreKey) {
      preKeyId = KEY_IDS.incrementAndGet();
      ECKeyPair oneTime = ECKeyPair.generate();
      store.storePreKey(preKeyId, new PreKeyRecord(preKeyId, oneTime));
      preKey = oneTime.getPublicKey();
    }
    return new PreKeyBundle(store.getLocalRegistrationId(), deviceId, preKeyId, preKey, signedId,
        signed.getPublicKey(), signedSignature, identity.getPublicKey(), kyberId, kyber.getPublicKey(), kyberSignature);
  }

  /** The bundle in the JSON shape the TypeScript driver reads. */
  static ObjectNode toJson(PreKeyBundle bundle) {
    ObjectNode json = TsDriver.JSON.createObjectNode()
        .put("registrationId", bundle.getRegistrationId())
        .put("deviceId", bundle.getDeviceId())
        .put("signedPreKeyId", bundle.getSignedPreKeyId())
        .put("signedPreKey", b64(bundle.getSignedPreKey().serialize()))
        .put("signedPreKeySignature", b64(bundle.getSignedPreKeySignature()))
        .put("identityKey", b64(bundle.getIdentityKey().serialize()))
        .put("kyberPreKeyId", bundle.getKyberPreKeyId())
        .put("kyberPreKey", b64(bundle.getKyberPreKey().serialize()))
        .put("kyberPreKeySignature", b64(bundle.getKyberPreKeySignature()));
    if (bundle.getPreKey() != null) {
      json.put("preKeyId", bundle.getPreKeyId()).put("preKey", b64(bundle.getPreKey().serialize()));
    }
    return json;
  }

  /** Starts a session (PQXDH as initiator) from a bundle the TypeScript side published. */
  void processBundle(SignalProtocolAddress peer, JsonNode json) throws Exception {
    boolean hasPreKey = json.has("preKey");
    PreKeyBundle bundle = new PreKeyBundle(
        json.path("registrationId").asInt(),
        json.path("deviceId").asInt(),
        hasPreKey ? json.path("preKeyId").asInt() : PreKeyBundle.NULL_PRE_KEY_ID,
        hasPreKey ? new ECPublicKey(unb64(json.path("preKey"))) : null,
        json.path("signedPreKeyId").asInt(),
        new ECPublicKey(unb64(json.path("signedPreKey"))),
        unb64(json.path("signedPreKeySignature")),
        new IdentityKey(unb64(json.path("identityKey"))),
        json.path("kyberPreKeyId").asInt(),
        new KEMPublicKey(unb64(json.path("kyberPreKey"))),
        unb64(json.path("kyberPreKeySignature")));
    new SessionBuilder(store, peer).process(bundle);
  }

  @Override
  public SignalProtocolAddress address() {
    return address;
  }

  @Override
  public String invalidMessageError() {
    return "InvalidMessageException";
  }

  @Override
  public String duplicateMessageError() {
    return "DuplicateMessageException";
  }

  @Override
  public List<Envelope> encrypt(SignalProtocolAddress peer, List<byte[]> plaintexts) {
    SessionCipher cipher = new SessionCipher(store, peer);
    List<Envelope> envelopes = new ArrayList<>();
    try {
      for (byte[] plaintext : plaintexts) {
        envelopes.add(Envelope.of(cipher.encrypt(plaintext)));
      }
    } catch (Exception e) {
      throw new IllegalStateException("Java encrypt failed", e);
    }
    return envelopes;
  }

  /** Decrypts each message, recording the exception's class name for the ones refused. */
  @Override
  public List<Outcome> decrypt(SignalProtocolAddress peer, List<Envelope> envelopes) {
    SessionCipher cipher = new SessionCipher(store, peer);
    List<Outcome> outcomes = new ArrayList<>();
    for (Envelope envelope : envelopes) {
      try {
        byte[] plaintext = envelope.type() == CiphertextMessage.PREKEY_TYPE
            ? cipher.decrypt(new PreKeySignalMessage(envelope.body()))
            : cipher.decrypt(new SignalMessage(envelope.body()));
        outcomes.add(Outcome.ok(plaintext));
      } catch (Exception e) {
        outcomes.add(Outcome.failed(e.getClass().getSimpleName()));
      }
    }
    return outcomes;
  }

  byte[] createSenderKeyDistribution(UUID distributionId) {
    return new GroupSessionBuilder(store).create(address, distributionId).serialize();
  }

  void processSenderKeyDistribution(SignalProtocolAddress sender, byte[] distributionMessage) throws Exception {
    new GroupSessionBuilder(store).process(sender, new SenderKeyDistributionMessage(distributionMessage));
  }

  List<byte[]> groupEncrypt(UUID distributionId, List<byte[]> plaintexts) throws Exception {
    GroupCipher cipher = new GroupCipher(store, address);
    List<byte[]> messages = new ArrayList<>();
    for (byte[] plaintext : plaintexts) {
      messages.add(cipher.encrypt(distributionId, plaintext).serialize());
    }
    return messages;
  }

  List<Outcome> groupDecrypt(SignalProtocolAddress sender, List<byte[]> messages) {
    GroupCipher cipher = new GroupCipher(store, sender);
    List<Outcome> outcomes = new ArrayList<>();
    for (byte[] message : messages) {
      try {
        outcomes.add(Outcome.ok(cipher.decrypt(message)));
      } catch (Exception e) {
        outcomes.add(Outcome.failed(e.getClass().getSimpleName()));
      }
    }
    return outcomes;
  }
}
