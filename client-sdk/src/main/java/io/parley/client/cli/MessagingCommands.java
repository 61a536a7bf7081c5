package io.parley.client.cli;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.Presence;
import io.parley.client.backup.MessageHistory;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.PresenceUpdate;
import io.parley.proto.Receipt;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Messaging from the command line: send, receive (with delivered receipts and acks), read
 * receipts, presence and typing. Contents are end-to-end encrypted through {@link Sealing}. USER is a username or a
 * +E164 phone number.
 */
final class MessagingCommands {
    private static final int MAX_WAIT_SECONDS = 3600;

    private MessagingCommands() {
    }

    @Command(name = "send", description = "send TEXT to USER; prints the message id and the server's time")
    static final class Send extends ClientMain.Sub {
        @Option(names = "--to", required = true, description = "username or +E164 phone")
        String to;

        @Parameters(index = "0", arity = "0..1", description = "the text (with --file: its caption)")
        String text;

        @Option(names = "--file", description = "send this file as an end-to-end encrypted attachment")
        java.nio.file.Path file;

        @Override
        public Integer call() throws Exception {
            if (text == null && file == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give the TEXT to send, or --file PATH");
            }
            if (file != null && !java.nio.file.Files.isReadable(file)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "cannot read --file " + file);
            }
            ParleyClient client = main.connect();
            UUID recipient = Ids.uuid(main.resolve(client, to), "user_id");
            SecureMessenger secure = Sealing.sending(client, main.state);
            SendMessageResponse sent = ClientMain.await(file == null ? secure.send(recipient, Sealing.seal(text))
                    : Sealing.sendFile(secure, recipient, file, text == null ? "" : text));
            String id = State.id(sent.getMessageId());
            new MessageHistory(main.state).append(new MessageHistory.Entry(UUID.fromString(id), true, recipient, text,
                    sent.getServerTimestampMs()));
            main.out.println(main.json ? new JsonObject().put("messageId", id).put("status", "sent")
                    .put("serverTimestampMs", sent.getServerTimestampMs()).encode()
                    : "sent " + id + " at " + Instant.ofEpochMilli(sent.getServerTimestampMs()));
            return 0;
        }
    }

    @Command(name = "receive", description = "print each received message and receipt as a JSON line, ack it, "
            + "and stop after --wait seconds without any")
    static final class Receive extends ClientMain.Sub {
        @Option(names = "--wait", defaultValue = "5", description = "seconds of quiet before stopping (default ${DEFAULT-VALUE})")
        int waitSeconds;

        @Option(names = "--max", defaultValue = "3600", description = "stop after this many seconds in any case")
        int maxSeconds;

        @Override
        public Integer call() throws Exception {
            if (waitSeconds < 1 || waitSeconds > MAX_WAIT_SECONDS || maxSeconds < waitSeconds || maxSeconds > MAX_WAIT_SECONDS) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--wait must be 1.." + MAX_WAIT_SECONDS + " and --max between --wait and " + MAX_WAIT_SECONDS);
            }
            DeviceCredentials credentials = main.stateFolder().credentials().orElseThrow(() -> new IllegalStateException(
                    "no account in " + main.state + ": register or link first"));
            UUID self = Ids.uuid(credentials.getUserId(), "user_id");
            ReceivedLog log = ReceivedLog.load(main.state);
            List<MessageHistory.Entry> history = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Handlers go on before connecting, so that nothing of the inbox replay is missed.
            ParleyClient client = ParleyClient.create(main.vertx, main.addresses(), credentials);
            SecureMessenger secure = Sealing.receiving(client, main.state);
            Messenger messenger = secure.messenger();
            Quiet quiet = new Quiet(client, waitSeconds * 1000L);
            List<Future<Void>> receipts = new ArrayList<>();
            io.parley.client.media.Attachments attachments = new io.parley.client.media.Attachments(secure);
            List<Future<Void>> saving = new ArrayList<>();
            secure.onMessage(incoming -> {
                Envelope envelope = incoming.envelope();
                io.parley.proto.MessageContent content = io.parley.client.media.MessageContents.decode(incoming.plaintext());
                JsonObject shown = line(envelope).put("text", content.getText());
                if (!content.getStatusPostId().isEmpty()) {
                    shown.put("statusReplyTo", State.id(content.getStatusPostId()));
                }
                if (content.getAttachmentsCount() > 0) {
                    // Printed once the files are saved (or failed), so the line names what is on disk.
                    saving.add(Sealing.saveAll(attachments, content, main.state, State.id(envelope.getMessageId()))
                            .map(files -> {
                                main.out.println(shown.put("files", files).encode());
                                return (Void) null;
                            })
                            .recover(e -> {
                                main.out.println(shown.put("fileError", e.getMessage()).encode());
                                return Future.succeededFuture();
                            })
                            .onComplete(done -> quiet.restart()));
                } else {
                    main.out.println(shown.encode());
                }
                if (envelope.getKind() == Envelope.Kind.MESSAGE) {
                    log.add(Ids.uuid(envelope.getMessageId(), "message_id"), incoming.sender());
                    history.add(new MessageHistory.Entry(Ids.uuid(envelope.getMessageId(), "message_id"),
                            incoming.sender().equals(self), Ids.uuid(envelope.getConversationUser(), "conversation_user"),
                            Sealing.open(incoming.plaintext()), envelope.getServerTimestampMs()));
                    if (!incoming.sender().equals(self)) {
                        receipts.add(messenger.receipt(incoming.sender(), Receipt.Type.DELIVERED,
                                List.of(envelope.getMessageId())));
                    }
                }
                quiet.restart();
            });
            secure.onOtherEnvelope(envelope -> {
                main.out.println(line(envelope).encode());
                quiet.restart();
            });
            secure.onDecryptionError(failure -> {
                main.out.println(new JsonObject().put("kind", "undecryptable").put("from", failure.sender().toString())
                        .put("fromDevice", failure.senderDevice()).put("messageId", State.id(failure.messageId()))
                        .put("reason", failure.reason()).put("resetRequested", failure.resetRequested()).encode());
                quiet.restart();
            });
            secure.onIdentityChanged(change -> main.out.println(new JsonObject().put("kind", "identity_changed")
                    .put("user", change.user().toString()).put("device", change.device())
                    .put("notice", "the safety number with this user changed: compare it again (safety-number)").encode()));
            ClientMain.await(client.connect());
            ClientMain.await(client.onContext(() -> {
                quiet.restart();
                return Future.succeededFuture();
            }));
            try {
                quiet.done.future().toCompletionStage().toCompletableFuture().get(maxSeconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                main.err.println("stopping after " + maxSeconds + " s");
            }
            ClientMain.await(client.onContext(() -> Future.join(new ArrayList<>(saving)).transform(v -> Future.succeededFuture())));
            ClientMain.await(client.onContext(() -> Future.join(new ArrayList<>(receipts))
                    .transform(done -> messenger.flushAcks())));
            ClientMain.await(attachments.close());
            ClientMain.await(client.close());
            log.save();
            new MessageHistory(main.state).merge(history);
            return 0;
        }

        private static JsonObject line(Envelope e) {
            JsonObject json = new JsonObject().put("kind", e.getKind().name().toLowerCase())
                    .put("messageId", State.id(e.getMessageId())).put("from", State.id(e.getSenderUser()))
                    .put("fromDevice", e.getSenderDevice()).put("conversation", State.id(e.getConversationUser()))
                    .put("serverTimestampMs", e.getServerTimestampMs());
            switch (e.getKind()) {
                case RECEIPT -> json.put("type", e.getReceipt().getType().name().toLowerCase())
                        .put("messageIds", new JsonArray(e.getReceipt().getMessageIdsList().stream().map(State::id).toList()));
                default -> { }
            }
            if (!e.getRefersTo().isEmpty()) {
                json.put("refersTo", State.id(e.getRefersTo()));
            }
            if (e.getKind() == Envelope.Kind.SYSTEM && e.getNotice().hasCall()) {
                io.parley.proto.CallNotice call = e.getNotice().getCall();
                json.put("call", new JsonObject().put("callId", State.id(call.getCallId()))
                        .put("caller", State.id(call.getCaller())).put("outcome", call.getOutcome().name().toLowerCase())
                        .put("video", call.getVideo()).put("group", call.getGroup()));
            }
            return json;
        }
    }

    /** Completes {@code done} once {@code quietMs} pass without a restart; used on the client's context. */
    private static final class Quiet {
        final Promise<Void> done = Promise.promise();
        private final ParleyClient client;
        private final long quietMs;
        private long timer = -1;

        Quiet(ParleyClient client, long quietMs) {
            this.client = client;
            this.quietMs = quietMs;
        }

        void restart() {
            client.vertx().cancelTimer(timer);
            timer = client.vertx().setTimer(quietMs, t -> done.tryComplete());
        }
    }

    @Command(name = "read", description = "send a read (or --played) receipt for a message shown by receive")
    static final class Read extends ClientMain.Sub {
        @Option(names = "--id", required = true, description = "the message id, as receive printed it")
        String id;

        @Option(names = "--played", description = "a played receipt (voice notes) instead of read")
        boolean played;

        @Override
        public Integer call() throws Exception {
            UUID messageId;
            try {
                messageId = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--id must be a message id like "
                        + UUID.randomUUID());
            }
            UUID sender = ReceivedLog.load(main.state).sender(messageId).orElseThrow(() -> new IllegalStateException(
                    "no received message " + id + " in " + main.state + ": run receive first"));
            ParleyClient client = main.connect();
            Receipt.Type type = played ? Receipt.Type.PLAYED : Receipt.Type.READ;
            ClientMain.await(Sealing.sending(client, main.state).messenger().receipt(sender, type,
                    List.<ByteString>of(Ids.bytes(messageId))));
            main.out.println(main.json ? new JsonObject().put("messageId", id).put("receipt", type.name().toLowerCase()).encode()
                    : type.name().toLowerCase() + " receipt sent for " + id);
            return 0;
        }
    }

    @Command(name = "presence", description = "USER's presence now: online, or offline with last seen")
    static final class PresenceOf extends ClientMain.Sub {
        @Parameters(index = "0", description = "username or +E164 phone")
        String user;

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            UUID id = Ids.uuid(main.resolve(client, user), "user_id");
            PresenceUpdate now = ClientMain.await(new Presence(client).subscribe(id));
            if (main.json) {
                main.out.println(new JsonObject().put("user", user).put("userId", id.toString()).put("online", now.getOnline())
                        .put("lastSeenMs", now.getLastSeenMs()).encode());
            } else if (now.getOnline()) {
                main.out.println(user + " online");
            } else {
                main.out.println(user + " offline, last seen " + (now.getLastSeenMs() == 0 ? "unknown"
                        : Instant.ofEpochMilli(now.getLastSeenMs()).toString()));
            }
            return 0;
        }
    }

    @Command(name = "typing", description = "show USER's online devices that you are typing (or --stop)")
    static final class Typing extends ClientMain.Sub {
        @Option(names = "--to", required = true, description = "username or +E164 phone")
        String to;

        @Option(names = "--stop", description = "say you stopped typing")
        boolean stop;

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            UUID id = Ids.uuid(main.resolve(client, to), "user_id");
            ClientMain.await(new Presence(client).typing(id, !stop));
            main.out.println((stop ? "stopped typing" : "typing") + " sent to " + to);
            return 0;
        }
    }
}
