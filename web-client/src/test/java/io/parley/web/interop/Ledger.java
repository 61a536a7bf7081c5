// Delivers messages in a chosen order and checks each outcome: the right plaintext the first time
// a message arrives, a duplicate error every later time.
package io.parley.web.interop;

import static io.parley.web.interop.Conversations.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

final class Ledger {

  final Set<Integer> delivered = new HashSet<>();
  int duplicatesRefused;
  private final Endpoint receiver;
  private final Endpoint sender;
  private final String prefix;

  Ledger(Endpoint receiver, Endpoint sender, String prefix) {
    this.receiver = receiver;
    this.sender = sender;
    this.prefix = prefix;
  }

  /** Delivers envelopes[i] for each i in `order`; envelopes[0] carries number `firstNumber`. */
  void deliver(List<Envelope> envelopes, int firstNumber, List<Integer> order) {
    List<Envelope> batch = order.stream().map(envelopes::get).toList();
    List<Outcome> outcomes = receiver.decrypt(sender.address(), batch);
    for (int i = 0; i < order.size(); i++) {
      int number = firstNumber + order.get(i);
      Outcome outcome = outcomes.get(i);
      if (delivered.add(number)) {
        assertThat(outcome.errorType()).as("message %s %d", prefix, number).isNull();
        assertThat(outcome.text()).isEqualTo(strings(prefix, number, 1).get(0));
      } else {
        assertThat(outcome.errorType()).as("duplicate %s %d", prefix, number).isEqualTo(receiver.duplicateMessageError());
        duplicatesRefused++;
      }
    }
  }
}
