package io.parley.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.parley.bus.Ids;
import io.parley.proto.Envelope;
import io.parley.proto.GroupContentType;
import io.parley.proto.GroupNotice;
import io.parley.proto.SenderKeyDistribution;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of {@link GroupMessenger}: takes every envelope in arrival order, stores the
 * sender keys handed out over 1:1, decrypts group messages (holding those whose key has not come
 * yet), reads group notices and hands on everything else. It sends no delivered receipts: the
 * server marks a group message delivered to a member when one of its devices acks it.
 */
final class GroupReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(GroupReceiver.class);
    private static final int MAX_HELD = 1_000;

    private final SenderKeyFiles keys;
    private final GroupMessenger.Opener opener;
    private final Consumer<UUID> groupChanged;
    private final List<Envelope> held = new ArrayList<>();
    private Future<Void> receiving = Future.succeededFuture();
    Handler<GroupMessenger.GroupMessage> messageHandler = m -> { };
    Handler<GroupNotice> noticeHandler = n -> { };
    Handler<Envelope> otherHandler = e -> { };

    GroupReceiver(SenderKeyFiles keys, GroupMessenger.Opener opener, Consumer<UUID> groupChanged) {
        this.keys = keys;
        this.opener = opener;
        this.groupChanged = groupChanged;
    }

    /** Takes an envelope after those before it (opening may be asynchronous). */
    void receive(Envelope envelope) {
        receiving = receiving.transform(done -> route(envelope));
    }

    private Future<Void> route(Envelope envelope) {
        if (!envelope.getGroupId().isEmpty()) {
            if (envelope.getKind() == Envelope.Kind.SYSTEM
                    && envelope.getContentType() == GroupContentType.GROUP_CONTENT_NOTICE_VALUE) {
                onNotice(envelope);
            } else if (envelope.getKind() == Envelope.Kind.MESSAGE) {
                if (!openGroupMessage(envelope) && held.size() < MAX_HELD) {
                    held.add(envelope);
                }
            } else {
                otherHandler.handle(envelope);
            }
            return Future.succeededFuture();
        }
        if (envelope.getKind() != Envelope.Kind.MESSAGE) {
            otherHandler.handle(envelope);
            return Future.succeededFuture();
        }
        return opener.open(envelope).map(plaintext -> {
            if (isDistribution(plaintext)) {
                onDistribution(envelope, Arrays.copyOfRange(plaintext, GroupMessenger.DISTRIBUTION_PREFIX.length, plaintext.length));
            } else {
                otherHandler.handle(envelope.toBuilder().setContent(ByteString.copyFrom(plaintext)).build());
            }
            return (Void) null;
        }).recover(e -> {
            LOG.warn("a 1:1 envelope could not be opened [sender: {}]: {}", envelope.getSenderUser(), e.getMessage());
            return Future.succeededFuture();
        });
    }

    private void onNotice(Envelope envelope) {
        try {
            GroupNotice notice = GroupNotice.parseFrom(envelope.getContent());
            groupChanged.accept(Ids.uuid(notice.getGroupId(), "group_id"));
            noticeHandler.handle(notice);
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("unreadable group notice: {}", e.getMessage());
        }
    }

    private void onDistribution(Envelope envelope, byte[] body) {
        try {
            SenderKeyDistribution handout = SenderKeyDistribution.parseFrom(body);
            SignalProtocolAddress sender = GroupMessenger.address(Ids.uuid(envelope.getSenderUser(), "sender_user"), envelope.getSenderDevice());
            new GroupSessionBuilder(keys).process(sender, new SenderKeyDistributionMessage(
                    handout.getDistributionMessage().toByteArray()));
        } catch (Exception e) {
            LOG.warn("a sender key could not be taken [sender: {}]: {}", envelope.getSenderUser(), e.toString());
            return;
        }
        // Messages that arrived before this key can be read now.
        List<Envelope> waiting = new ArrayList<>(held);
        held.clear();
        waiting.forEach(e -> {
            if (!openGroupMessage(e)) {
                held.add(e);
            }
        });
    }

    /** Decrypts and hands on a group message; false when its sender key has not arrived yet. */
    private boolean openGroupMessage(Envelope envelope) {
        UUID sender = Ids.uuid(envelope.getSenderUser(), "sender_user");
        byte[] plaintext;
        try {
            plaintext = new GroupCipher(keys, GroupMessenger.address(sender, envelope.getSenderDevice())).decrypt(envelope.getContent().toByteArray());
        } catch (NoSessionException e) {
            return false;
        } catch (DuplicateMessageException e) {
            return true;
        } catch (Exception e) {
            LOG.warn("a group message could not be decrypted [sender: {}]: {}", sender, e.toString());
            return true;
        }
        UUID groupId = Ids.uuid(envelope.getGroupId(), "group_id");
        messageHandler.handle(new GroupMessenger.GroupMessage(groupId, sender, envelope.getSenderDevice(), envelope.getMessageId(),
                envelope.getServerTimestampMs(), plaintext));
        return true;
    }

    private static boolean isDistribution(byte[] plaintext) {
        return plaintext.length > GroupMessenger.DISTRIBUTION_PREFIX.length
                && Arrays.equals(plaintext, 0, GroupMessenger.DISTRIBUTION_PREFIX.length, GroupMessenger.DISTRIBUTION_PREFIX, 0, GroupMessenger.DISTRIBUTION_PREFIX.length);
    }
}
