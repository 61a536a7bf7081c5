// Sender-key group messages between the TypeScript library and the Java libsignal 0.86.5, both
// ways, including reordering, duplicates and forged signatures.
package io.parley.web.interop;

import static io.parley.web.interop.Conversations.strings;
import static io.parley.web.interop.Conversations.texts;
import static io.parley.web.interop.Conversations.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupInteropTest {

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
  void typeScriptSenderKeyMessagesDecryptInJava() throws Exception {
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    JavaDevice java = new JavaDevice(uniqueName("java"));
    UUID group = UUID.randomUUID();
    java.processSenderKeyDistribution(ts.address, ts.createSenderKeyDistribution(group));

    List<byte[]> messages = ts.groupEncrypt(group, texts("to the group", 0, 50));
    assertThat(messages.get(0)[0]).isEqualTo((byte) 0x33);
    assertThat(java.groupDecrypt(ts.address, messages)).extracting(Outcome::text)
        .containsExactlyElementsOf(strings("to the group", 0, 50));
    ts.reload();
    assertThat(java.groupDecrypt(ts.address, ts.groupEncrypt(group, texts("to the group", 50, 5))))
        .extracting(Outcome::text).containsExactlyElementsOf(strings("to the group", 50, 5));
  }

  @Test
  void javaSenderKeyMessagesDecryptInTypeScript() throws Exception {
    JavaDevice java = new JavaDevice(uniqueName("java"));
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    UUID group = UUID.randomUUID();
    ts.processSenderKeyDistribution(java.address, java.createSenderKeyDistribution(group));
    List<byte[]> messages = java.groupEncrypt(group, texts("from java", 0, 50));
    assertThat(ts.groupDecrypt(java.address, messages)).extracting(Outcome::text)
        .containsExactlyElementsOf(strings("from java", 0, 50));
  }

  @Test
  void groupMessagesOutOfOrderAndDuplicatedBothWays() throws Exception {
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    JavaDevice java = new JavaDevice(uniqueName("java"));
    UUID group = UUID.randomUUID();
    java.processSenderKeyDistribution(ts.address, ts.createSenderKeyDistribution(group));
    ts.processSenderKeyDistribution(java.address, java.createSenderKeyDistribution(group));
    Random random = new Random(33);

    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);

    List<byte[]> fromTs = ts.groupEncrypt(group, texts("ts", 0, 30));
    List<Outcome> atJava = java.groupDecrypt(ts.address, reorderWithDuplicate(fromTs, order));
    assertOutcomes(atJava, order, "ts", "DuplicateMessageException");

    List<byte[]> fromJava = java.groupEncrypt(group, texts("java", 0, 30));
    List<Outcome> atTs = ts.groupDecrypt(java.address, reorderWithDuplicate(fromJava, order));
    assertOutcomes(atTs, order, "java", "DuplicateMessageError");
  }

  @Test
  void forgedGroupSignaturesAreRejectedWithoutLosingTheChain() throws Exception {
    TsParty ts = new TsParty(driver, uniqueName("ts"));
    JavaDevice java = new JavaDevice(uniqueName("java"));
    UUID group = UUID.randomUUID();
    java.processSenderKeyDistribution(ts.address, ts.createSenderKeyDistribution(group));
    ts.processSenderKeyDistribution(java.address, java.createSenderKeyDistribution(group));

    List<byte[]> fromTs = ts.groupEncrypt(group, texts("signed", 0, 2));
    byte[] forged = fromTs.get(0).clone();
    forged[10] ^= 0x01;
    assertThat(java.groupDecrypt(ts.address, List.of(forged))).noneMatch(Outcome::succeeded);
    assertThat(java.groupDecrypt(ts.address, fromTs)).extracting(Outcome::text)
        .containsExactlyElementsOf(strings("signed", 0, 2));

    List<byte[]> fromJava = java.groupEncrypt(group, texts("signed", 0, 2));
    byte[] forgedSignature = fromJava.get(0).clone();
    forgedSignature[forgedSignature.length - 5] ^= 0x01;
    assertThat(ts.groupDecrypt(java.address, List.of(forgedSignature)))
        .extracting(Outcome::errorType).containsOnly("SignatureError");
    assertThat(ts.groupDecrypt(java.address, fromJava)).extracting(Outcome::text)
        .containsExactlyElementsOf(strings("signed", 0, 2));
  }

  /** The messages in `order`, then the first of them again. */
  private static List<byte[]> reorderWithDuplicate(List<byte[]> messages, List<Integer> order) {
    List<byte[]> reordered = new ArrayList<>(order.stream().map(messages::get).toList());
    reordered.add(messages.get(order.get(0)));
    return reordered;
  }

  private static void assertOutcomes(List<Outcome> outcomes, List<Integer> order, String prefix, String duplicateError) {
    for (int i = 0; i < order.size(); i++) {
      assertThat(outcomes.get(i).text()).isEqualTo(strings(prefix, order.get(i), 1).get(0));
    }
    assertThat(outcomes.get(order.size()).errorType()).isEqualTo(duplicateError);
  }
}
