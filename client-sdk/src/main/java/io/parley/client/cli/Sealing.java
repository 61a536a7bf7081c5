package io.parley.client.cli;

import io.parley.client.ParleyClient;
import io.parley.client.signal.SecureMessenger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one place the command-line client turns text into message contents and back: every
 * message is end-to-end encrypted with the Signal protocol ({@link SecureMessenger}, its state in
 * STATE/signal). Commands that only send use a messenger that leaves what arrives queued, so that
 * {@code receive} is the one command that decrypts and acks.
 */
final class Sealing {
    private Sealing() {
    }

    /** A messenger that receives: create it before connecting the client, so the inbox replay is seen. */
    static SecureMessenger receiving(ParleyClient client, Path state) {
        return SecureMessenger.create(client, state);
    }

    /** A messenger that only sends (and sends receipts). */
    static SecureMessenger sending(ParleyClient client, Path state) {
        return SecureMessenger.create(client, state, SecureMessenger.Options.defaults().sendingOnly());
    }

    static byte[] seal(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String open(byte[] plaintext) {
        return new String(plaintext, StandardCharsets.UTF_8);
    }
}
