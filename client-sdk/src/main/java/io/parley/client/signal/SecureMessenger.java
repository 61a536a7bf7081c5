package io.parley.client.signal;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.proto.Envelope;
import io.parley.proto.KeyCounts;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.PreKeyBundle;
import io.parley.proto.Push;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end encrypted 1:1 messaging, the one facade apps and the command-line client use:
 * {@code send(user, bytes)}, {@code onMessage}, {@code onIdentityChanged}, {@code onDecryptionError}.
 * It publishes this device's keys, builds a Signal session (PQXDH) from a fetched bundle for every
 * device it sends to, encrypts one envelope per device through {@link Messenger} (which corrects
 * device lists on 409/410 and retries), and decrypts what arrives. A message it cannot decrypt is
 * reported and answered with a session reset: a prekey message on a session built from the
 * sender's fresh bundle, after which the sender's next message decrypts. All libsignal and file
 * work runs on a worker, in order, never on the client's event loop.
 */
public final class SecureMessenger {
    private static final Logger LOG = LoggerFactory.getLogger(SecureMessenger.class);

    /** A decrypted message: from whom, which of their devices, in which conversation. */
    public record Incoming(UUID sender, int senderDevice, UUID conversation, byte[] plaintext, Envelope envelope) {
    }

    /** A message that did not decrypt, why, and whether a session reset was asked of its sender. */
    public record DecryptionFailure(UUID sender, int senderDevice, ByteString messageId, String reason,
            boolean resetRequested) {
    }

    /** A peer rebuilt its session with this device because it could not decrypt the message named. */
    public record SessionReset(UUID user, int device, ByteString failedMessageId) {
    }

    /**
     * How many one-time keys of each kind to upload at a time, the shortest interval between two
     * reset requests to one device, how many sends may await their answer per conversation, and
     * whether to upload more one-time keys when the server says they run low. The default sends
     * one message at a time per conversation: pipelined sends reach the recipient slightly out of
     * order, and under heavy two-way traffic that was seen to leave a few messages undecryptable.
     */
    public record Options(int preKeyBatch, long resetIntervalMs, int pipeline, boolean replenish, boolean receiving) {
        public static Options defaults() {
            return new Options(100, 10_000, 1, true, true);
        }

        public Options withPreKeyBatch(int batch, boolean replenishing) {
            return new Options(batch, resetIntervalMs, pipeline, replenishing, receiving);
        }

        /** Sends only: what arrives is neither decrypted nor acked, and stays queued for a receiving client. */
        public Options sendingOnly() {
            return new Options(preKeyBatch, resetIntervalMs, pipeline, replenish, false);
        }
    }

    private final ParleyClient client;
    private final FileSignalStore store;
    private final KeysApi keys;
    private final Messenger messenger;
    private final Options options;
    private final UUID self;
    private final Map<SignalProtocolAddress, Future<Void>> establishing = new HashMap<>();
    private final Map<SignalProtocolAddress, Long> lastReset = new HashMap<>();
    private Handler<Incoming> messageHandler = m -> { };
    private Handler<DecryptionFailure> failureHandler = f -> { };
    private Handler<IdentityChanged> identityHandler = c -> { };
    private Handler<SessionReset> resetHandler = r -> { };
    private Handler<Envelope> otherHandler = e -> { };
    /** The hand-on of the envelope opened last; the next one waits for it (on the client's context). */
    private Future<Void> handedOn = Future.succeededFuture();
    private final KeyPublisher publisher;

    private SecureMessenger(ParleyClient client, FileSignalStore store, Options options) {
        this.client = client;
        this.store = store;
        this.options = options;
        this.keys = new KeysApi(client);
        this.publisher = new KeyPublisher(client, store, keys, options.preKeyBatch());
        this.self = Ids.uuid(client.credentials().getUserId(), "user_id");
        this.messenger = new Messenger(client, this::seal, options.receiving()).pipelined(options.pipeline());
        messenger.onEnvelopeAsync(this::open);
        store.onIdentityChange(change -> client.onContext(() -> {
            identityHandler.handle(change);
            return Future.succeededFuture();
        }));
        client.onPush(this::onKeysPush);
    }

    /**
     * A messenger for a client not yet connected, its Signal state in {@code stateFolder/signal}
     * (created with a new identity when absent). Reads files: call it while setting up, not on an
     * event loop. Then connect the client and call {@link #publishKeys()}.
     */
    public static SecureMessenger create(ParleyClient client, Path stateFolder) {
        return create(client, stateFolder, Options.defaults());
    }

    public static SecureMessenger create(ParleyClient client, Path stateFolder, Options options) {
        return new SecureMessenger(client, FileSignalStore.open(stateFolder.resolve("signal")), options);
    }

    public SecureMessenger onMessage(Handler<Incoming> handler) {
        this.messageHandler = handler;
        return this;
    }

    public SecureMessenger onDecryptionError(Handler<DecryptionFailure> handler) {
        this.failureHandler = handler;
        return this;
    }

    public SecureMessenger onIdentityChanged(Handler<IdentityChanged> handler) {
        this.identityHandler = handler;
        return this;
    }

    public SecureMessenger onSessionReset(Handler<SessionReset> handler) {
        this.resetHandler = handler;
        return this;
    }

    /** Envelopes that carry no ciphertext: receipts, server notices. */
    public SecureMessenger onOtherEnvelope(Handler<Envelope> handler) {
        this.otherHandler = handler;
        return this;
    }

    public Messenger messenger() {
        return messenger;
    }

    public FileSignalStore store() {
        return store;
    }

    public KeysApi keys() {
        return keys;
    }

    /**
     * Makes sure the server has this device's keys: the first time (registration, linking) the
     * identity, signed prekey, last-resort Kyber key and a batch of one-time keys; a state folder
     * that lost its keys re-registers its identity (primary only); otherwise tops up one-time keys
     * that run low. Call after connecting.
     */
    public Future<KeyCounts> publishKeys() {
        return publisher.publish(options.replenish());
    }

    public Future<SendMessageResponse> send(UUID user, byte[] plaintext) {
        return messenger.send(user, plaintext);
    }

    /**
     * One device's ciphertext of {@code plaintext} on this device's Signal session with it (built from
     * a bundle when there is none), for contents that do not travel as a message, such as status copies.
     */
    public Future<OutgoingEnvelope> sealFor(UUID user, int device, byte[] plaintext) {
        return seal(user, device, plaintext);
    }

    /** Decrypts a ciphertext that {@code sender}'s device made with {@link #sealFor} for this device. */
    public Future<byte[]> openFrom(UUID sender, int senderDevice, int contentType, byte[] ciphertext) {
        if (contentType != ContentTypes.SIGNAL_MESSAGE && contentType != ContentTypes.PREKEY_MESSAGE) {
            return Future.failedFuture(new ParleyException(400, "not a Signal ciphertext: content type " + contentType));
        }
        return blocking(() -> decrypt(address(sender, senderDevice), contentType, ciphertext));
    }

    /** The 60-digit safety number with this user, in groups of five (compare it on both phones). */
    public Future<String> safetyNumber(UUID user) {
        return SafetyNumbers.of(client, store, keys, user);
    }

    private void onKeysPush(Push push) {
        if (push.hasKeysLow() && options.replenish()) {
            publisher.replenish().onFailure(e -> LOG.warn("one-time keys not replenished: {}", e.getMessage()));
        }
    }

    // --- sending ---

    private Future<OutgoingEnvelope> seal(UUID user, int device, byte[] plaintext) {
        SignalProtocolAddress address = address(user, device);
        Future<CiphertextMessage> sealed = establishing.containsKey(address) ? Future.succeededFuture(null)
                : blocking(() -> store.containsSession(address) ? new SessionCipher(store, address).encrypt(plaintext) : null);
        return sealed.compose(message -> message != null ? Future.succeededFuture(message) : session(address, false)
                        .compose(v -> blocking(() -> new SessionCipher(store, address).encrypt(plaintext))))
                .map(message -> envelope(user, device, message.serialize(), message.getType()));
    }

    /** A session with this device, built from a fetched bundle if there is none (or always, {@code fresh}). */
    private Future<Void> session(SignalProtocolAddress address, boolean fresh) {
        return client.onContext(() -> {
            Future<Void> pending = establishing.get(address);
            if (pending != null) {
                return pending;
            }
            // A fresh session is built over the old one, which libsignal keeps as a previous state:
            // messages the peer encrypted on it before it learns of the new one still decrypt.
            Future<Void> result = (fresh ? Future.succeededFuture(false) : blocking(() -> store.containsSession(address)))
                    .compose(has -> has ? Future.<Void>succeededFuture() : build(address));
            establishing.put(address, result);
            result.onComplete(done -> establishing.remove(address));
            return result;
        });
    }

    private Future<Void> build(SignalProtocolAddress address) {
        UUID user = UUID.fromString(address.getName());
        return keys.bundles(user, List.of(address.getDeviceId())).compose(bundles -> {
            PreKeyBundle bundle = bundles.getBundlesList().stream().filter(b -> b.getDeviceId() == address.getDeviceId())
                    .findFirst().orElseThrow(() -> new ParleyException(404, "device " + address.getDeviceId()
                            + " of " + user + " has not published keys"));
            return blocking(() -> {
                new SessionBuilder(store, address).process(Bundles.toLibsignal(bundle));
                return null;
            });
        });
    }

    // --- receiving ---

    /**
     * Opens envelopes in arrival order and hands each on after the one before it. Decryptions run
     * one after another on a worker, but their completions do not keep that order by themselves: a
     * decryption that is already done when its callback is added runs that callback at once, while
     * the previous one's may still wait in the event loop's queue (seen as neighbours swapped).
     */
    private Future<?> open(Envelope envelope) {
        int type = envelope.getContentType();
        Future<Runnable> handOn;
        if (type == ContentTypes.FILLER) {
            handOn = Future.succeededFuture(() -> { });
        } else if (!ContentTypes.encrypted(type) || envelope.getContent().isEmpty()) {
            handOn = Future.succeededFuture(() -> otherHandler.handle(envelope));
        } else {
            handOn = decrypted(envelope, type);
        }
        Future<Void> next = handedOn.transform(previous -> handOn).map(step -> {
            step.run();
            return null;
        });
        next.onFailure(e -> LOG.warn("a handler of received messages failed: {}", e.toString()));
        handedOn = next;
        return next;
    }

    /** Decrypts on the worker; what to hand on: the message, the reset, or the failure. */
    private Future<Runnable> decrypted(Envelope envelope, int type) {
        UUID sender = Ids.uuid(envelope.getSenderUser(), "sender_user");
        int device = envelope.getSenderDevice();
        SignalProtocolAddress address = address(sender, device);
        byte[] bytes = envelope.getContent().toByteArray();
        return blocking(() -> decrypt(address, type, bytes)).<Runnable>map(plaintext -> () -> {
            if (type == ContentTypes.SESSION_RESET) {
                resetHandler.handle(new SessionReset(sender, device, ByteString.copyFrom(plaintext)));
            } else {
                messageHandler.handle(new Incoming(sender, device, conversation(envelope), plaintext, envelope));
            }
        }).recover(e -> Future.succeededFuture(() -> failed(envelope, address, type, e)));
    }

    private byte[] decrypt(SignalProtocolAddress address, int type, byte[] bytes) throws Exception {
        SessionCipher cipher = new SessionCipher(store, address);
        return type == ContentTypes.SIGNAL_MESSAGE ? cipher.decrypt(new SignalMessage(bytes))
                : cipher.decrypt(new PreKeySignalMessage(bytes));
    }

    private void failed(Envelope envelope, SignalProtocolAddress address, int type, Throwable e) {
        boolean replay = e instanceof DuplicateMessageException || e instanceof ReusedBaseKeyException;
        long now = System.currentTimeMillis();
        boolean reset = !replay && type != ContentTypes.SESSION_RESET
                && now - lastReset.getOrDefault(address, 0L) >= options.resetIntervalMs();
        String reason = (replay ? "replayed message: " : "cannot decrypt: ") + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        UUID sender = UUID.fromString(address.getName());
        LOG.warn("message {} from {}.{} not decrypted: {}", Ids.uuid(envelope.getMessageId(), "message_id"), sender,
                address.getDeviceId(), reason);
        if (reset) {
            lastReset.put(address, now);
            requestReset(sender, address.getDeviceId(), envelope.getMessageId());
        }
        failureHandler.handle(new DecryptionFailure(sender, address.getDeviceId(), envelope.getMessageId(), reason, reset));
    }

    /** Builds a new session with the sender's device from a fresh bundle and sends it the failed message's id. */
    private void requestReset(UUID sender, int device, ByteString failedMessageId) {
        messenger.send(sender, failedMessageId.toByteArray(), (user, d, payload) -> {
            if (!user.equals(sender) || d != device) {
                return Future.succeededFuture(envelope(user, d, new byte[] {0}, ContentTypes.FILLER));
            }
            SignalProtocolAddress address = address(user, d);
            return session(address, true).compose(v -> blocking(() -> new SessionCipher(store, address).encrypt(payload)))
                    .map(message -> envelope(user, d, message.serialize(), ContentTypes.SESSION_RESET));
        }).onFailure(e -> LOG.warn("session reset request to {}.{} failed: {}", sender, device, e.getMessage()));
    }

    private UUID conversation(Envelope envelope) {
        return envelope.getConversationUser().isEmpty() ? Ids.uuid(envelope.getSenderUser(), "sender_user")
                : Ids.uuid(envelope.getConversationUser(), "conversation_user");
    }

    // --- plumbing ---

    private static OutgoingEnvelope envelope(UUID user, int device, byte[] content, int type) {
        return OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(user)).setDeviceId(device)
                .setContent(ByteString.copyFrom(content)).setContentType(type).build();
    }

    static SignalProtocolAddress address(UUID user, int device) {
        return new SignalProtocolAddress(user.toString(), device);
    }

    /** Runs store and libsignal work on a worker, in submission order, and completes on the client's context. */
    <T> Future<T> blocking(Callable<T> work) {
        return client.onContext(() -> client.vertx().executeBlocking(() -> {
            // libsignal loads, changes and stores a session in one call: one call at a time per store.
            synchronized (store) {
                if (running.incrementAndGet() > 1) {
                    LOG.error("overlapping Signal operations on one store");
                }
                try {
                    return work.call();
                } finally {
                    running.decrementAndGet();
                }
            }
        }, true));
    }

    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    /** This device's user. */
    public UUID self() {
        return self;
    }

    public ParleyClient client() {
        return client;
    }

}
