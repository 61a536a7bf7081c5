package io.parley.client;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.AckRequest;
import io.parley.proto.DeleteMessageRequest;
import io.parley.proto.DeviceMismatch;
import io.parley.proto.DisappearingTimer;
import io.parley.proto.EditMessageRequest;
import io.parley.proto.Envelope;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Push;
import io.parley.proto.Receipt;
import io.parley.proto.ReceiptRequest;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.SetDisappearingRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * 1:1 messaging on a connected client. Sends go out one at a time per conversation (so they keep
 * their order), each with one envelope per device of the recipient and of this account; a 409 or
 * 410 corrects the device list and the same send is retried with the same client message id, so
 * it is stored once. Received envelopes are handed over once per message id and acked in batches.
 * Use from the client's Vert.x context (as its callbacks are).
 */
public final class Messenger {
    /** Makes each device's content: the plaintext as is, or (with Signal) a ciphertext per device. */
    public interface Sealer {
        Future<OutgoingEnvelope> seal(UUID userId, int deviceId, byte[] plaintext);
    }

    private static final int MAX_ATTEMPTS = 4;
    private static final int SEEN_CAPACITY = 20_000;
    private static final int ACK_BATCH = 100;
    private static final long ACK_DELAY_MS = 10;

    private final ParleyClient client;
    private final UUID self;
    private final int selfDevice;
    private final Sealer sealer;
    private final Map<UUID, Set<Integer>> devices = new HashMap<>();
    private final Map<UUID, Future<?>> queues = new HashMap<>();
    private final Map<ByteString, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
            return size() > SEEN_CAPACITY;
        }
    };
    private final List<Long> pendingAcks = new ArrayList<>();
    private long ackTimer = -1;
    private Handler<Envelope> handler = e -> { };
    private java.util.function.Function<Envelope, Future<?>> asyncHandler;
    private int handling;
    private final List<io.vertx.core.Promise<Void>> settledWaiters = new ArrayList<>();
    private int window = 1;
    private final Map<UUID, Future<?>> written = new HashMap<>();
    private final Map<UUID, Integer> unanswered = new HashMap<>();
    private final Map<UUID, java.util.ArrayDeque<io.vertx.core.Promise<Void>>> waiting = new HashMap<>();

    public Messenger(ParleyClient client) {
        this(client, (user, device, plaintext) -> Future.succeededFuture(OutgoingEnvelope.newBuilder()
                .setUserId(Ids.bytes(user)).setDeviceId(device).setContent(ByteString.copyFrom(plaintext)).build()));
    }

    public Messenger(ParleyClient client, Sealer sealer) {
        this(client, sealer, true);
    }

    /**
     * With {@code receiving} false the messenger only sends: it neither hands over nor acks what
     * arrives, which then stays in the device's inbox for a client that receives (a command-line
     * {@code send} must not swallow the messages that a later {@code receive} prints).
     */
    public Messenger(ParleyClient client, Sealer sealer, boolean receiving) {
        this.client = client;
        this.sealer = sealer;
        this.self = Ids.uuid(client.credentials().getUserId(), "user_id");
        this.selfDevice = client.credentials().getDeviceId();
        if (receiving) {
            client.onPush(this::onPush);
        }
    }

    /** Receives each envelope (message, edit, delete, receipt, notice) once; acks are sent for you. */
    public Messenger onEnvelope(Handler<Envelope> handler) {
        this.handler = handler;
        return this;
    }

    /**
     * Like {@link #onEnvelope} for a handler that finishes later (decryption on a worker): each
     * envelope is acked only once its future completes. Handlers are called in arrival order.
     */
    public Messenger onEnvelopeAsync(java.util.function.Function<Envelope, Future<?>> handler) {
        this.asyncHandler = handler;
        return this;
    }

    /**
     * Lets up to {@code sends} sends per conversation wait for their answers at once (default 1):
     * each is still sealed and written in order, but the next one no longer waits for the server's
     * answer to the previous one. A send retried after a 409 or 410 may then land after later ones.
     * With Signal sessions, heavy two-way traffic pipelined this way was seen to leave about one
     * message in 10,000 undecryptable (see client-sdk/README.md): SecureMessenger sends one at a time.
     */
    public Messenger pipelined(int sends) {
        if (sends < 1) {
            throw new IllegalArgumentException("at least one send in flight");
        }
        this.window = sends;
        return this;
    }

    public Future<SendMessageResponse> send(UUID recipient, byte[] plaintext) {
        return send(recipient, plaintext, sealer);
    }

    /** A send whose envelopes this sealer makes, instead of the messenger's own (control messages). */
    public Future<SendMessageResponse> send(UUID recipient, byte[] plaintext, Sealer with) {
        ByteString clientId = Ids.bytes(UUID.randomUUID());
        java.util.function.Function<List<OutgoingEnvelope>, Request.Builder> request = envelopes -> Request.newBuilder()
                .setSendMessage(SendMessageRequest.newBuilder().setClientMessageId(clientId)
                        .setRecipient(Ids.bytes(recipient)).addAllEnvelopes(envelopes));
        if (window > 1) {
            return pipelinedSend(recipient, plaintext, with, request).map(r -> r.getSendMessage());
        }
        return inOrder(recipient, () -> attempt(recipient, plaintext, 1, with, request).map(r -> r.getSendMessage()));
    }

    /** Seals and writes after the conversation's previous send was written, within the window of unanswered sends. */
    private Future<io.parley.proto.Response> pipelinedSend(UUID recipient, byte[] plaintext, Sealer with,
            java.util.function.Function<List<OutgoingEnvelope>, Request.Builder> request) {
        return client.onContext(() -> {
            io.vertx.core.Promise<Void> wrote = io.vertx.core.Promise.promise();
            Future<?> previous = written.getOrDefault(recipient, Future.succeededFuture());
            written.put(recipient, wrote.future());
            Future<io.parley.proto.Response> answer = previous.transform(ignored -> slot(recipient))
                    .compose(v -> seal(recipient, plaintext, with))
                    .compose(envelopes -> {
                        Future<io.parley.proto.Response> sent = client.send(request.apply(envelopes));
                        wrote.tryComplete();
                        return sent;
                    })
                    .recover(e -> retry(e, recipient, plaintext, 1, with, request));
            answer.onComplete(done -> {
                wrote.tryComplete();
                release(recipient);
            });
            return answer;
        });
    }

    private Future<Void> slot(UUID conversation) {
        int busy = unanswered.getOrDefault(conversation, 0);
        if (busy < window) {
            unanswered.put(conversation, busy + 1);
            return Future.succeededFuture();
        }
        io.vertx.core.Promise<Void> turn = io.vertx.core.Promise.promise();
        waiting.computeIfAbsent(conversation, c -> new java.util.ArrayDeque<>()).add(turn);
        return turn.future();
    }

    private void release(UUID conversation) {
        java.util.ArrayDeque<io.vertx.core.Promise<Void>> queue = waiting.get(conversation);
        if (queue != null && !queue.isEmpty()) {
            queue.poll().complete();
            return;
        }
        int busy = unanswered.getOrDefault(conversation, 1) - 1;
        if (busy <= 0) {
            unanswered.remove(conversation);
            waiting.remove(conversation);
            if (written.containsKey(conversation) && written.get(conversation).isComplete()) {
                written.remove(conversation);
            }
        } else {
            unanswered.put(conversation, busy);
        }
    }

    public Future<SendMessageResponse> edit(UUID recipient, ByteString messageId, byte[] plaintext) {
        ByteString clientId = Ids.bytes(UUID.randomUUID());
        return inOrder(recipient, () -> attempt(recipient, plaintext, 1, sealer, envelopes -> Request.newBuilder()
                .setEditMessage(EditMessageRequest.newBuilder().setClientMessageId(clientId).setMessageId(messageId)
                        .setRecipient(Ids.bytes(recipient)).addAllEnvelopes(envelopes)))
                .map(r -> r.getEditMessage()));
    }

    public Future<SendMessageResponse> deleteForEveryone(UUID recipient, ByteString messageId) {
        ByteString clientId = Ids.bytes(UUID.randomUUID());
        return inOrder(recipient, () -> attempt(recipient, new byte[] {0}, 1, sealer, envelopes -> Request.newBuilder()
                .setDeleteMessage(DeleteMessageRequest.newBuilder().setClientMessageId(clientId).setMessageId(messageId)
                        .setRecipient(Ids.bytes(recipient)).addAllEnvelopes(envelopes)))
                .map(r -> r.getDeleteMessage()));
    }

    public Future<Void> receipt(UUID to, Receipt.Type type, List<ByteString> messageIds) {
        return client.send(Request.newBuilder().setReceipt(ReceiptRequest.newBuilder().setToUser(Ids.bytes(to))
                .setType(type).addAllMessageIds(messageIds))).mapEmpty();
    }

    public Future<Void> setDisappearing(UUID peer, DisappearingTimer timer) {
        return client.send(Request.newBuilder().setSetDisappearing(SetDisappearingRequest.newBuilder()
                .setPeer(Ids.bytes(peer)).setTimer(timer))).mapEmpty();
    }

    /** Queues work behind the conversation's earlier sends, on the client's context. */
    private <T> Future<T> inOrder(UUID conversation, java.util.function.Supplier<Future<T>> work) {
        return client.onContext(() -> {
            Future<?> previous = queues.getOrDefault(conversation, Future.succeededFuture());
            Future<T> next = previous.transform(ignored -> work.get());
            queues.put(conversation, next);
            return next;
        });
    }

    private Future<io.parley.proto.Response> attempt(UUID recipient, byte[] plaintext, int attempt, Sealer with,
            java.util.function.Function<List<OutgoingEnvelope>, Request.Builder> request) {
        return seal(recipient, plaintext, with).compose(envelopes -> client.send(request.apply(envelopes)))
                .recover(e -> retry(e, recipient, plaintext, attempt, with, request));
    }

    private Future<io.parley.proto.Response> retry(Throwable e, UUID recipient, byte[] plaintext, int attempt, Sealer with,
            java.util.function.Function<List<OutgoingEnvelope>, Request.Builder> request) {
        if (e instanceof ParleyException p && (p.code() == 409 || p.code() == 410) && attempt < MAX_ATTEMPTS
                && !p.error().getMismatchesList().isEmpty()) {
            p.error().getMismatchesList().forEach(this::correct);
            return attempt(recipient, plaintext, attempt + 1, with, request);
        }
        return Future.failedFuture(e);
    }

    private Future<List<OutgoingEnvelope>> seal(UUID recipient, byte[] plaintext, Sealer with) {
        List<Future<OutgoingEnvelope>> sealed = new ArrayList<>();
        if (!recipient.equals(self)) {
            knownDevices(recipient).forEach(d -> sealed.add(with.seal(recipient, d, plaintext)));
        }
        knownDevices(self).stream().filter(d -> d != selfDevice).forEach(d -> sealed.add(with.seal(self, d, plaintext)));
        return Future.all(sealed).map(all -> all.<OutgoingEnvelope>list());
    }

    /** The devices this client believes the user has: the primary until the server says otherwise. */
    public Set<Integer> devicesOf(UUID user) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(knownDevices(user)));
    }

    private Set<Integer> knownDevices(UUID user) {
        return devices.computeIfAbsent(user, u -> new TreeSet<>(u.equals(self) ? Set.of(selfDevice) : Set.of(1)));
    }

    private void correct(DeviceMismatch mismatch) {
        Set<Integer> known = knownDevices(Ids.uuid(mismatch.getUserId(), "user_id"));
        known.addAll(mismatch.getMissingDevicesList());
        known.removeAll(mismatch.getExtraDevicesList());
    }

    private void onPush(Push push) {
        if (!push.hasEnvelope()) {
            return;
        }
        Envelope envelope = push.getEnvelope();
        if (seen.put(envelope.getMessageId().concat(ByteString.copyFrom(new byte[] {(byte) envelope.getKindValue()})),
                Boolean.TRUE) == null) {
            if (asyncHandler != null) {
                handling++;
                asyncHandler.apply(envelope).onComplete(done -> {
                    ack(envelope.getSequence());
                    if (--handling == 0) {
                        settledWaiters.forEach(io.vertx.core.Promise::tryComplete);
                        settledWaiters.clear();
                    }
                });
                return;
            }
            handler.handle(envelope);
        }
        ack(envelope.getSequence());
    }

    private void ack(long sequence) {
        pendingAcks.add(sequence);
        if (pendingAcks.size() >= ACK_BATCH) {
            sendAcks();
        } else if (ackTimer < 0) {
            ackTimer = client.vertx().setTimer(ACK_DELAY_MS, t -> sendAcks());
        }
    }

    /**
     * Completes once every envelope handed to an asynchronous handler so far has been handled
     * (decrypted and given to the app): a command that stops when the inbox is drained waits for
     * this too, or it would stop before printing what is still being decrypted.
     */
    public Future<Void> settled() {
        return client.onContext(() -> {
            if (handling == 0) {
                return Future.succeededFuture();
            }
            io.vertx.core.Promise<Void> settled = io.vertx.core.Promise.promise();
            settledWaiters.add(settled);
            return settled.future();
        });
    }

    /** Sends the acks collected so far; an ack lost with a dropped connection means a replay, deduplicated here. */
    public Future<Void> flushAcks() {
        return client.onContext(this::sendAcks);
    }

    private Future<Void> sendAcks() {
        client.vertx().cancelTimer(ackTimer);
        ackTimer = -1;
        if (pendingAcks.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Long> batch = new ArrayList<>(pendingAcks);
        pendingAcks.clear();
        return client.send(Request.newBuilder().setAck(AckRequest.newBuilder().addAllSequences(batch))).mapEmpty();
    }
}
