package io.parley.client.cli;

import io.parley.client.ParleyClient;
import io.parley.client.media.Attachments;
import io.parley.proto.MessageContent;
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
    /** Where received attachments are saved, under the state folder. */
    static final String FILES = "files";

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

    /** Sends a file as an encrypted attachment with a caption, its kind taken from its name. */
    static io.vertx.core.Future<io.parley.proto.SendMessageResponse> sendFile(SecureMessenger secure, java.util.UUID to,
            Path file, String caption) {
        Attachments attachments = new Attachments(secure);
        return attachments.send(to, file, Attachments.kindOf(file), caption).eventually(attachments::close);
    }

    /** Saves every attachment of a message into STATE/files as MESSAGEID-NAME; the paths saved. */
    static io.vertx.core.Future<io.vertx.core.json.JsonArray> saveAll(Attachments attachments, MessageContent content,
            Path state, String prefix) {
        java.util.List<io.vertx.core.Future<Path>> saved = new java.util.ArrayList<>();
        for (io.parley.proto.AttachmentPointer pointer : content.getAttachmentsList()) {
            saved.add(attachments.save(pointer, state.resolve(FILES), prefix));
        }
        return io.vertx.core.Future.all(saved).map(all -> new io.vertx.core.json.JsonArray(all.<Path>list().stream()
                .map(p -> p.toAbsolutePath().toString()).toList()));
    }
}
