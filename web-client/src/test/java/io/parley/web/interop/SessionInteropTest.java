// One-to-one sessions between the TypeScript library and the real Java libsignal 0.86.5: PQXDH in
// both directions, long ratcheted conversations, and recovery from lost, reordered and forged input.
package io.parley.web.interop;

import static io.parley.web.interop.Conversations.assertDelivered;
import static io.parley.web.interop.Conversations.establish;
import static io.parley.web.interop.Conversations.establishAndAcknowledge;
import static io.parley.web.interop.Conversations.texts;
import static io.parley.web.interop.Conversations.truncated;
import static io.parley.web.interop.Conversations.uniqueName;
import static io.parley.web.interop.Conversations.withFlippedByte;
import static org.assertj.core.api.Assertions.assertThat;
import static org.signal.libsignal.protocol.message.CiphertextMessage.PREKEY_TYPE;
import static org.signal.libsignal.protocol.message.CiphertextMessage.WHISPER_TYPE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionInteropTest {

  private static final int MESSAGES_EACH_WAY = 1_000;

  private static TsDriver driver;

  @BeforeAll
  static void startDriver() {
    driver = TsDriver.start();
  }

  @AfterAll
  static void stopDriver() throws InterruptedException {
    driver.close();
  }

  private Endpoint[] pair(boolean typeScriptInitiates) {
    Endpoint ts = new TsParty(driver, uniqueName("ts"));
    Endpoint java = new JavaDevice(uniqueName("java"));
    return typeScriptInitiates ? new Endpoint[] {ts, java} : new Endpoint[] {java, ts};
  }

  @ParameterizedTest(name = "typeScriptInitiates={0}")
  @ValueSource(booleans = {true, false})
  void pqxdhSessionCarriesPreKeyMessagesUntilTheFirstReply(boolean typeScriptInitiates) throws Exception {
    Endpoint[] p = pair(typeScriptInitiates);
    Endpoint initiator = p[0];
    Endpoint responder = p[1];
    establish(initiator, responder, true);

    List<Envelope> first = initiator.encrypt(responder.address(), texts("hello", 0, 3));
    assertThat(first).extracting(Envelope::type).containsOnly(PREKEY_TYPE);
    assertThat(first.get(0).body()[0]).isEqualTo((byte) 0x44);
    assertDelivered(responder, initiator, first, "hello", 0, 3);

    List<Envelope> reply = responder.encrypt(initiator.address(), texts("reply", 0, 2));
    assertThat(reply).extracting(Envelope::type).containsOnly(WHISPER_TYPE);
    assertDelivered(initiator, responder, reply, "reply", 0, 2);

    List<Envelope> next = initiator.encrypt(responder.address(), texts("hello", 3, 2));
    assertThat(next).extracting(Envelope::type).containsOnly(WHISPER_TYPE);
    assertDelivered(responder, initiator, next, "hello", 3, 2);
  }

  @ParameterizedTest(name = "typeScriptInitiates={0}")
  @ValueSource(booleans = {true, false})
  void sessionWithoutOneTimePreKeyWorks(boolean typeScriptInitiates) throws Exception {
    Endpoint[] p = pair(typeScriptInitiates);
    establish(p[0], p[1], false);
    assertDelivered(p[1], p[0], p[0].encrypt(p[1].address(), texts("no one-time key", 0, 2)), "no one-time key", 0, 2);
    assertDelivered(p[0], p[1], p[1].encrypt(p[0].address(), texts("answer", 0, 1)), "answer", 0, 1);
  }

  @ParameterizedTest(name = "typeScriptInitiates={0}")
  @ValueSource(booleans = {true, false})
  void thousandRatchetedMessagesEachWayInterleavedReorderedAndDuplicated(boolean typeScriptInitiates) throws Exception {
    Endpoint[] p = pair(typeScriptInitiates);
    Endpoint a = p[0];
    Endpoint b = p[1];
    establish(a, b, true);
    Random random = new Random(typeScriptInitiates ? 8 : 80);
    int sentByA = 0;
    int sentByB = 0;
    int rounds = 0;
    while (sentByA < MESSAGES_EACH_WAY || sentByB < MESSAGES_EACH_WAY) {
      int burstA = Math.min(1 + random.nextInt(25), MESSAGES_EACH_WAY - sentByA);
      int burstB = sentByA == 0 ? 0 : Math.min(1 + random.nextInt(25), MESSAGES_EACH_WAY - sentByB);
      if (random.nextBoolean()) {
        // Both bursts in flight at once: each side receives on a chain while its own new one exists.
        List<Envelope> fromA = a.encrypt(b.address(), texts("a", sentByA, burstA));
        List<Envelope> fromB = b.encrypt(a.address(), texts("b", sentByB, burstB));
        assertDelivered(b, a, fromA, "a", sentByA, burstA);
        assertDelivered(a, b, fromB, "b", sentByB, burstB);
      } else {
        // Delivered shuffled, with the first message of each burst delivered twice.
        deliverShuffledWithDuplicate(b, a, a.encrypt(b.address(), texts("a", sentByA, burstA)), "a", sentByA, random);
        deliverShuffledWithDuplicate(a, b, b.encrypt(a.address(), texts("b", sentByB, burstB)), "b", sentByB, random);
      }
      sentByA += burstA;
      sentByB += burstB;
      if (++rounds % 20 == 0) {
        // The TypeScript state survives a save to JSON and a reload mid-conversation.
        ((TsParty) (a instanceof TsParty ? a : b)).reload();
      }
    }
    assertThat(sentByA).isEqualTo(MESSAGES_EACH_WAY);
    assertThat(sentByB).isEqualTo(MESSAGES_EACH_WAY);
  }

  @ParameterizedTest(name = "typeScriptSends={0}")
  @ValueSource(booleans = {true, false})
  void outOfOrderAndDuplicateDeliveryAcrossChains(boolean typeScriptSends) throws Exception {
    Endpoint[] p = pair(typeScriptSends);
    Endpoint sender = p[0];
    Endpoint receiver = p[1];
    establish(sender, receiver, true);
    Random random = new Random(typeScriptSends ? 5 : 50);

    // Chain 1 (PreKeySignalMessages): six of ten, shuffled, one twice.
    List<Envelope> chain1 = sender.encrypt(receiver.address(), texts("s", 0, 10));
    List<Integer> order1 = shuffled(0, 10, random);
    Ledger toReceiver = new Ledger(receiver, sender, "s");
    toReceiver.deliver(chain1, 0, order1.subList(0, 6));
    toReceiver.deliver(chain1, 0, List.of(order1.get(2)));

    // Replies, of which the sender sees two, reversed; then the sender's second chain.
    List<Envelope> replies = receiver.encrypt(sender.address(), texts("r", 0, 5));
    Ledger toSender = new Ledger(sender, receiver, "r");
    toSender.deliver(replies, 0, List.of(4, 1));
    List<Envelope> chain2 = sender.encrypt(receiver.address(), texts("s", 10, 10));
    assertThat(chain2).extracting(Envelope::type).containsOnly(WHISPER_TYPE);

    // The rest of chain 1 mixed into chain 2, with two more duplicates.
    List<Envelope> mixed = new ArrayList<>(chain1);
    mixed.addAll(chain2);
    List<Integer> rest = new ArrayList<>(order1.subList(6, 10));
    for (int i = 10; i < 20; i++) {
      rest.add(i);
    }
    Collections.shuffle(rest, random);
    rest.add(3, rest.get(0));
    rest.add(rest.get(5));
    toReceiver.deliver(mixed, 0, rest);

    toSender.deliver(replies, 0, List.of(0, 3, 2, 4));
    List<Envelope> moreReplies = receiver.encrypt(sender.address(), texts("r", 5, 3));
    toSender.deliver(moreReplies, 5, List.of(2, 1, 0));

    assertThat(toReceiver.delivered).hasSize(20);
    assertThat(toSender.delivered).hasSize(8);
    assertThat(toReceiver.duplicatesRefused + toSender.duplicatesRefused).isEqualTo(4);
  }

  @ParameterizedTest(name = "typeScriptSends={0}")
  @ValueSource(booleans = {true, false})
  void tamperedMacIsRejectedWithoutCorruptingTheSession(boolean typeScriptSends) throws Exception {
    Endpoint[] p = pair(typeScriptSends);
    Endpoint sender = p[0];
    Endpoint receiver = p[1];
    establishAndAcknowledge(sender, receiver);

    List<Envelope> messages = sender.encrypt(receiver.address(), texts("m", 0, 3));
    List<Envelope> forged = List.of(
        withFlippedByte(messages.get(0), 0),
        withFlippedByte(messages.get(1), 7),
        withFlippedByte(messages.get(2), 12));
    assertThat(receiver.decrypt(sender.address(), forged))
        .extracting(Outcome::errorType).containsOnly(receiver.invalidMessageError());
    assertDelivered(receiver, sender, messages, "m", 0, 3);

    // A forged first message of a new chain must not move the receiver's ratchet either.
    assertDelivered(sender, receiver, receiver.encrypt(sender.address(), texts("r", 0, 1)), "r", 0, 1);
    List<Envelope> newChain = sender.encrypt(receiver.address(), texts("m", 3, 2));
    assertThat(receiver.decrypt(sender.address(), List.of(withFlippedByte(newChain.get(0), 0))))
        .extracting(Outcome::errorType).containsOnly(receiver.invalidMessageError());
    assertDelivered(receiver, sender, newChain, "m", 3, 2);
    assertDelivered(sender, receiver, receiver.encrypt(sender.address(), texts("r", 1, 2)), "r", 1, 2);
  }

  @ParameterizedTest(name = "typeScriptSends={0}")
  @ValueSource(booleans = {true, false})
  void truncatedMessagesAreRejectedWithoutCorruptingTheSession(boolean typeScriptSends) throws Exception {
    Endpoint[] p = pair(typeScriptSends);
    Endpoint sender = p[0];
    Endpoint receiver = p[1];
    establishAndAcknowledge(sender, receiver);

    List<Envelope> messages = sender.encrypt(receiver.address(), texts("t", 0, 2));
    Envelope whole = messages.get(0);
    int length = whole.body().length;
    List<Envelope> cut = List.of(
        truncated(whole, length - 1),
        truncated(whole, length - 8),
        truncated(whole, length - 16),
        truncated(whole, length / 2),
        truncated(whole, 9),
        truncated(whole, 1),
        truncated(whole, 0));
    assertThat(receiver.decrypt(sender.address(), cut)).noneMatch(Outcome::succeeded);
    assertDelivered(receiver, sender, messages, "t", 0, 2);
    assertDelivered(sender, receiver, receiver.encrypt(sender.address(), texts("u", 0, 2)), "u", 0, 2);
  }

  @Test
  void typeScriptStoresAndReloadsSessionsAsJson() throws Exception {
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    JavaDevice java = new JavaDevice(uniqueName("java"));
    establish(ts, java, true);
    List<Envelope> first = ts.encrypt(java.address(), texts("before", 0, 2));
    ts.reload();
    assertDelivered(java, ts, first, "before", 0, 2);
    List<Envelope> answer = java.encrypt(ts.address(), texts("answer", 0, 3));
    ts.reload();
    assertDelivered(ts, java, answer.subList(1, 3), "answer", 1, 2);
    ts.reload();
    assertDelivered(ts, java, answer.subList(0, 1), "answer", 0, 1);
    assertDelivered(java, ts, ts.encrypt(java.address(), texts("after", 0, 1)), "after", 0, 1);
  }

  @ParameterizedTest(name = "typeScriptSends={0}")
  @ValueSource(booleans = {true, false})
  void plaintextsOfEverySizeRoundTrip(boolean typeScriptSends) throws Exception {
    Endpoint[] p = pair(typeScriptSends);
    establishAndAcknowledge(p[0], p[1]);
    List<byte[]> plaintexts = new ArrayList<>();
    for (int size : new int[] {0, 1, 15, 16, 17, 127, 128, 16_383, 16_384, 65_536, 300_000}) {
      byte[] plaintext = new byte[size];
      new Random(size).nextBytes(plaintext);
      plaintexts.add(plaintext);
    }
    List<Outcome> outcomes = p[1].decrypt(p[0].address(), p[0].encrypt(p[1].address(), plaintexts));
    for (int i = 0; i < plaintexts.size(); i++) {
      assertThat(outcomes.get(i).plaintext()).isEqualTo(plaintexts.get(i));
    }
  }

  private static void deliverShuffledWithDuplicate(Endpoint receiver, Endpoint sender, List<Envelope> envelopes,
      String prefix, int firstNumber, Random random) {
    if (envelopes.isEmpty()) {
      return;
    }
    List<Integer> order = shuffled(0, envelopes.size(), random);
    order.add(order.get(0));
    Ledger ledger = new Ledger(receiver, sender, prefix);
    ledger.deliver(envelopes, firstNumber, order);
    assertThat(ledger.duplicatesRefused).isEqualTo(1);
  }

  private static List<Integer> shuffled(int from, int to, Random random) {
    List<Integer> indices = new ArrayList<>();
    for (int i = from; i < to; i++) {
      indices.add(i);
    }
    Collections.shuffle(indices, random);
    return indices;
  }
}
