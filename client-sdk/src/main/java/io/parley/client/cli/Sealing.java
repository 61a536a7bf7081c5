package io.parley.client.cli;

import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.proto.Envelope;
import java.nio.charset.StandardCharsets;

/**
 * The one place the command-line client turns text into message contents and back. Today the
 * content is the UTF-8 text itself (Messenger's plaintext sealer); the Signal sealer and its
 * matching opener replace the two methods here and every command follows.
 */
final class Sealing {
    private Sealing() {
    }

    /** The messenger every CLI command sends and receives through. */
    static Messenger messenger(ParleyClient client) {
        return new Messenger(client);
    }

    static byte[] seal(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of a received message or edit. */
    static String open(Envelope envelope) {
        return envelope.getContent().toStringUtf8();
    }
}
