// The Java libsignal's throughput in the scenarios of bench/ratchetBench.ts, for comparison with the
// TypeScript figures in docs/signal-ts.md. Runs only on demand (-Dbench=true).
package io.parley.web.interop;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "bench", matches = "true")
class JavaLibsignalBench {

  private static final int MESSAGES = 5_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void measure() throws Exception {
    oneToOne(100); // warm-up
    for (int size : new int[] {100, 1024}) {
      double[] rates = oneToOne(size);
      System.out.printf("java 1:1 %5d B   encrypt %,9.0f msg/s   decrypt %,9.0f msg/s%n", size, rates[0], rates[1]);
    }
    System.out.printf("java 1:1   100 B   ping-pong %,9.0f msg/s%n", pingPong(500));
    for (int size : new int[] {100, 1024}) {
      double[] rates = group(size);
      System.out.printf("java group %4d B  encrypt %,9.0f msg/s   decrypt %,9.0f msg/s%n", size, rates[0], rates[1]);
    }
  }

  private static double[] oneToOne(int size) throws Exception {
    JavaDevice alice = new JavaDevice("alice");
    JavaDevice bob = new JavaDevice("bob");
    Conversations.establishAndAcknowledgeJava(alice, bob);
    List<byte[]> plaintexts = repeated(size, MESSAGES);
    long start = System.nanoTime();
    List<Envelope> messages = alice.encrypt(bob.address, plaintexts);
    double encrypt = MESSAGES / seconds(start);
    start = System.nanoTime();
    bob.decrypt(alice.address, messages);
    double decrypt = MESSAGES / seconds(start);
    return new double[] {encrypt, decrypt};
  }

  private static double pingPong(int rounds) throws Exception {
    JavaDevice alice = new JavaDevice("alice");
    JavaDevice bob = new JavaDevice("bob");
    Conversations.establishAndAcknowledgeJava(alice, bob);
    List<byte[]> one = repeated(100, 1);
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      bob.decrypt(alice.address, alice.encrypt(bob.address, one));
      alice.decrypt(bob.address, bob.encrypt(alice.address, one));
    }
    return rounds * 2 / seconds(start);
  }

  private static double[] group(int size) throws Exception {
    JavaDevice sender = new JavaDevice("sender");
    JavaDevice member = new JavaDevice("member");
    UUID group = UUID.randomUUID();
    member.processSenderKeyDistribution(sender.address, sender.createSenderKeyDistribution(group));
    int count = MESSAGES / 5;
    List<byte[]> plaintexts = repeated(size, count);
    long start = System.nanoTime();
    List<byte[]> messages = sender.groupEncrypt(group, plaintexts);
    double encrypt = count / seconds(start);
    start = System.nanoTime();
    member.groupDecrypt(sender.address, messages);
    double decrypt = count / seconds(start);
    return new double[] {encrypt, decrypt};
  }

  private static List<byte[]> repeated(int size, int count) {
    byte[] plaintext = new byte[size];
    RANDOM.nextBytes(plaintext);
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(plaintext);
    }
    return list;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
