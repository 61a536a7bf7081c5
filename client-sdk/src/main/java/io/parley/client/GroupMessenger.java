package io.parley.client;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.DeviceRef;
import io.parley.proto.Envelope;
import io.parley.proto.Group;
import io.parley.proto.GroupNotice;
import io.parley.proto.GroupReceiptRequest;
import io.parley.proto.GroupSendRequest;
import io.parley.proto.MessageInfo;
import io.parley.proto.MessageInfoRequest;
import io.parley.proto.Receipt;
import io.parley.proto.Request;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.SenderKeyDistribution;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;

/**
 * Group messaging with Signal sender keys. Before a send, this device hands its sender key for the
 * group to every member device that lacks it, as a 1:1 message through {@link Messenger} (sealed by
 * its {@code Sealer}), then sends one group ciphertext that the server stores once. When a device
 * that had the key is no longer a member device (a member removed or gone, a device unlinked),
 * the next send starts a new sender key (new distribution id and chain) and hands it out afresh,
 * so whoever left cannot read what follows. Received sender keys and group messages are opened by
 * {@link GroupReceiver}; every other envelope is handed on opened. Use from the client's Vert.x context.
 */
public final class GroupMessenger {
    /** Opens a 1:1 envelope's content (the plaintext as is, or a Signal decryption). */
    public interface Opener {
        Future<byte[]> open(Envelope envelope);
    }

    /** A decrypted group message. */
    public record GroupMessage(UUID groupId, UUID sender, int senderDevice, ByteString messageId, long serverTimestampMs,
            byte[] plaintext) {
        public String text() {
            return new String(plaintext, StandardCharsets.UTF_8);
        }

        /** One JSON line, as the command-line client prints received messages. */
        public JsonObject toJson() {
            return new JsonObject().put("type", "group").put("groupId", groupId.toString()).put("from", sender.toString())
                    .put("device", senderDevice).put("messageId", Ids.uuid(messageId, "message_id").toString())
                    .put("serverTimestampMs", serverTimestampMs).put("text", text());
        }
    }

    /** The 1:1 plaintext of a sender-key distribution starts with these bytes. */
    static final byte[] DISTRIBUTION_PREFIX = {'P', 'S', 'K', '1'};
    private static final int MAX_ATTEMPTS = 4;
    private static final int DISTRIBUTION_WINDOW = 32;
    private static final int MAX_RATE_LIMIT_RETRIES = 6;
    private static final long RATE_LIMIT_BACKOFF_MS = 250;

    private final ParleyClient client;
    private final Messenger messenger;
    private final GroupsApi api;
    private final SenderKeyFiles keys;
    private final UUID self;
    private final int selfDevice;
    private final SignalProtocolAddress selfAddress;
    private final Map<UUID, Group> groups = new HashMap<>();
    private final Map<UUID, Future<?>> queues = new HashMap<>();
    private final GroupReceiver receiver;

    public GroupMessenger(ParleyClient client, Messenger messenger, SenderKeyFiles keys) {
        this(client, messenger, keys, e -> Future.succeededFuture(e.getContent().toByteArray()));
    }

    public GroupMessenger(ParleyClient client, Messenger messenger, SenderKeyFiles keys, Opener opener) {
        this(client, messenger, keys, opener, true);
    }

    /**
     * Group messaging over end-to-end encrypted 1:1: each sender key goes out sealed by
     * {@code secure}'s Signal sealer, and {@code secure}'s decrypted 1:1 messages and other
     * envelopes (group messages, notices) come here. Takes over {@code secure}'s onMessage and
     * onOtherEnvelope handlers: use {@link #onOther} for the 1:1 messages. Before connecting.
     */
    public static GroupMessenger over(io.parley.client.signal.SecureMessenger secure, SenderKeyFiles keys) {
        GroupMessenger groups = new GroupMessenger(secure.client(), secure.messenger(), keys,
                e -> Future.succeededFuture(e.getContent().toByteArray()), false);
        secure.onMessage(in -> groups.receiver.receive(in.envelope().toBuilder()
                .setContent(ByteString.copyFrom(in.plaintext())).build()));
        secure.onOtherEnvelope(groups.receiver::receive);
        return groups;
    }

    private GroupMessenger(ParleyClient client, Messenger messenger, SenderKeyFiles keys, Opener opener,
            boolean takeEnvelopes) {
        this.client = client;
        this.messenger = messenger;
        this.api = new GroupsApi(client);
        this.keys = keys;
        this.self = Ids.uuid(client.credentials().getUserId(), "user_id");
        this.selfDevice = client.credentials().getDeviceId();
        this.selfAddress = address(self, selfDevice);
        this.receiver = new GroupReceiver(keys, opener, groups::remove);
        if (takeEnvelopes) {
            messenger.onEnvelope(receiver::receive);
        }
    }

    public GroupMessenger onMessage(Handler<GroupMessage> handler) {
        receiver.messageHandler = handler;
        return this;
    }

    /** Membership and settings changes of groups this device is in. */
    public GroupMessenger onNotice(Handler<GroupNotice> handler) {
        receiver.noticeHandler = handler;
        return this;
    }

    /** Every envelope that is neither a group message nor a sender key (1:1 messages with their content opened). */
    public GroupMessenger onOther(Handler<Envelope> handler) {
        receiver.otherHandler = handler;
        return this;
    }

    public GroupsApi api() {
        return api;
    }

    /** The group as last read from the server, fetched when unknown or changed since. */
    public Future<Group> group(UUID groupId) {
        return client.onContext(() -> group(groupId, false));
    }

    /** Sends one message to the group: the sender key first to member devices that lack it, then the ciphertext. */
    public Future<SendMessageResponse> send(UUID groupId, byte[] plaintext) {
        ByteString clientId = Ids.bytes(UUID.randomUUID());
        return inOrder(groupId, () -> attempt(groupId, plaintext, clientId, 1));
    }

    /** This device's current distribution id in the group (changes after a member leaves or is removed). */
    public Future<UUID> distributionId(UUID groupId) {
        return client.onContext(() -> Future.succeededFuture(keys.distribution(groupId)
                .map(SenderKeyFiles.Distribution::distributionId).orElse(null)));
    }

    public Future<Void> markRead(UUID groupId, List<ByteString> messageIds) {
        return client.send(Request.newBuilder().setGroupReceipt(GroupReceiptRequest.newBuilder().setGroupId(Ids.bytes(groupId))
                .setType(Receipt.Type.READ).addAllMessageIds(messageIds))).mapEmpty();
    }

    /** For a message this user sent: who it reached and who read it. */
    public Future<MessageInfo> messageInfo(UUID groupId, ByteString messageId) {
        return client.send(Request.newBuilder().setMessageInfo(MessageInfoRequest.newBuilder().setGroupId(Ids.bytes(groupId))
                .setMessageId(messageId))).map(r -> r.getMessageInfo());
    }

    private <T> Future<T> inOrder(UUID groupId, Supplier<Future<T>> work) {
        return client.onContext(() -> {
            Future<?> previous = queues.getOrDefault(groupId, Future.succeededFuture());
            Future<T> next = previous.transform(ignored -> work.get());
            queues.put(groupId, next);
            return next;
        });
    }

    private Future<Group> group(UUID groupId, boolean fresh) {
        Group cached = groups.get(groupId);
        if (cached != null && !fresh) {
            return Future.succeededFuture(cached);
        }
        return api.get(groupId).map(group -> {
            groups.put(groupId, group);
            return group;
        });
    }

    private Future<SendMessageResponse> attempt(UUID groupId, byte[] plaintext, ByteString clientId, int attempt) {
        return group(groupId, attempt > 1).compose(group -> {
            List<DeviceRef> targets = targets(group);
            Set<String> targetNames = new LinkedHashSet<>(targets.stream().map(GroupMessenger::name).toList());
            // A device that has the current key but is no member device now: start a new key.
            SenderKeyFiles.Distribution current = keys.distribution(groupId)
                    .filter(d -> targetNames.containsAll(d.sentTo()))
                    .orElseGet(() -> new SenderKeyFiles.Distribution(UUID.randomUUID(), Set.of()));
            SenderKeyDistributionMessage distribution = new GroupSessionBuilder(keys).create(selfAddress,
                    current.distributionId());
            List<UUID> lacking = lacking(targets, current.sentTo());
            byte[] handout = distributionPlaintext(groupId, distribution);
            return distribute(lacking, handout).compose(v -> {
                Set<String> sentTo = new LinkedHashSet<>(current.sentTo());
                sentTo.addAll(targetNames);
                keys.saveDistribution(groupId, new SenderKeyFiles.Distribution(current.distributionId(), sentTo));
                CiphertextMessage sealed;
                try {
                    sealed = new GroupCipher(keys, selfAddress).encrypt(current.distributionId(), plaintext);
                } catch (NoSessionException e) {
                    return Future.failedFuture(new IllegalStateException("no sender key to encrypt with", e));
                }
                return client.send(Request.newBuilder().setGroupSend(GroupSendRequest.newBuilder().setClientMessageId(clientId)
                        .setGroupId(Ids.bytes(groupId)).setContent(ByteString.copyFrom(sealed.serialize()))
                        .setContentType(sealed.getType()).addAllDevices(targets)));
            });
        }).map(r -> r.getGroupSend()).recover(e -> {
            if (e instanceof ParleyException p && (p.code() == 409 || p.code() == 410) && attempt < MAX_ATTEMPTS
                    && !p.error().getMismatchesList().isEmpty()) {
                return attempt(groupId, plaintext, clientId, attempt + 1);
            }
            return Future.failedFuture(e);
        });
    }

    /**
     * The users to send the sender key to: those with a device that lacks it. This user's own other
     * devices get it as the copies every 1:1 send makes for them; when only they lack it, it goes
     * (again) to one other member so that the copies are made.
     */
    private List<UUID> lacking(List<DeviceRef> targets, Set<String> sentTo) {
        List<UUID> users = targets.stream().filter(d -> !sentTo.contains(name(d)))
                .map(d -> Ids.uuid(d.getUserId(), "user_id")).distinct().toList();
        if (!users.contains(self)) {
            return users;
        }
        List<UUID> others = users.stream().filter(u -> !u.equals(self)).toList();
        if (!others.isEmpty()) {
            return others;
        }
        return targets.stream().map(d -> Ids.uuid(d.getUserId(), "user_id")).filter(u -> !u.equals(self)).limit(1).toList();
    }

    /** Every member device but this one: whom a group send must address. */
    private List<DeviceRef> targets(Group group) {
        List<DeviceRef> targets = new ArrayList<>();
        group.getMembersList().forEach(m -> m.getDeviceIdsList().forEach(d -> {
            if (!(m.getUserId().equals(Ids.bytes(self)) && d == selfDevice)) {
                targets.add(DeviceRef.newBuilder().setUserId(m.getUserId()).setDeviceId(d).build());
            }
        }));
        return targets;
    }

    /** Sends the sender key to each of these users over 1:1, a bounded number at a time. */
    private Future<Void> distribute(List<UUID> users, byte[] handout) {
        return Lanes.forEach(users, DISTRIBUTION_WINDOW, user -> sendRetryingWhenLimited(client, messenger, user, handout, 0));
    }

    /** A 1:1 send that waits and retries when the server says 429 (a fan-out can outrun the rate limit). */
    static Future<Void> sendRetryingWhenLimited(ParleyClient client, Messenger messenger, UUID user, byte[] plaintext,
            int retries) {
        return messenger.send(user, plaintext).<Void>mapEmpty().recover(e -> {
            if (e instanceof ParleyException p && p.code() == 429 && retries < MAX_RATE_LIMIT_RETRIES) {
                return client.vertx().timer(RATE_LIMIT_BACKOFF_MS << retries).compose(t -> client
                        .onContext(() -> sendRetryingWhenLimited(client, messenger, user, plaintext, retries + 1)));
            }
            return Future.failedFuture(e);
        });
    }

    private static byte[] distributionPlaintext(UUID groupId, SenderKeyDistributionMessage distribution) {
        byte[] body = SenderKeyDistribution.newBuilder().setGroupId(Ids.bytes(groupId))
                .setDistributionMessage(ByteString.copyFrom(distribution.serialize())).build().toByteArray();
        byte[] plaintext = Arrays.copyOf(DISTRIBUTION_PREFIX, DISTRIBUTION_PREFIX.length + body.length);
        System.arraycopy(body, 0, plaintext, DISTRIBUTION_PREFIX.length, body.length);
        return plaintext;
    }

    static SignalProtocolAddress address(UUID user, int device) {
        return new SignalProtocolAddress(user.toString(), device);
    }

    private static String name(DeviceRef device) {
        return Ids.uuid(device.getUserId(), "user_id") + "." + device.getDeviceId();
    }
}
