package io.parley.receipts;

import com.google.protobuf.ByteString;
import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.Envelope;
import io.parley.proto.InboxDelivered;
import io.parley.proto.InboxDeliveries;
import io.parley.proto.InboxDelivery;
import io.parley.proto.Ok;
import io.parley.proto.Receipt;
import io.parley.proto.ReceiptRequest;
import io.parley.proto.ReceiptSent;
import io.parley.proto.SendCheck;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receipt from a recipient's device to the original sender: checked through {@link AccountChecks}
 * (the sender exists; no block either way; read receipts on for both sides), then stored through
 * messaging in every device of the sender and, for read and played receipts, in the caller's own
 * other devices.
 */
final class ReceiptsService {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptsService.class);
    /** Message ids per receipt; a client with more sends several receipts. */
    static final int MAX_MESSAGE_IDS = 100;
    private static final int ID_BYTES = 16;
    private static final long DELIVER_TIMEOUT_MS = 10_000;
    private static final Ok OK = Ok.getDefaultInstance();

    private final EventBus bus;
    private final AccountChecks checks;

    ReceiptsService(EventBus bus, AccountChecks checks) {
        this.bus = bus;
        this.checks = checks;
    }

    Future<Ok> receipt(Caller caller, ReceiptRequest request) {
        UUID to = Ids.uuid(request.getToUser(), "to_user");
        List<ByteString> messageIds = validIds(request);
        if (request.getType() == Receipt.Type.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("type must be DELIVERED, READ or PLAYED");
        }
        return checks.check(caller.userId(), to).compose(check -> {
            SendCheck sendCheck = check.sendCheck();
            if (!sendCheck.getExists()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
            }
            if (sendCheck.getBlocked() || check.blockedByCaller()) {
                LOG.debug("receipt dropped: blocked [from: {}, to: {}]", caller, to);
                return Future.succeededFuture(OK);
            }
            InboxDeliveries deliveries = deliveries(caller, to, request.getType(), messageIds, sendCheck);
            if (deliveries.getDeliveriesCount() == 0) {
                return Future.succeededFuture(OK);
            }
            return bus.<InboxDelivered>request(Addresses.MESSAGING_DELIVER, deliveries,
                    new DeliveryOptions().setSendTimeout(DELIVER_TIMEOUT_MS)).map(stored -> {
                        announce(caller, to, request.getType(), messageIds);
                        return OK;
                    });
        });
    }

    /** Tells the events verticle, fire-and-forget, that a receipt was stored (ids and parties only). */
    private void announce(Caller caller, UUID to, Receipt.Type type, List<ByteString> messageIds) {
        bus.send(Addresses.EVENTS_RECEIPT, ReceiptSent.newBuilder().setType(type).addAllMessageIds(messageIds)
                .setFromUser(Ids.bytes(caller.userId())).setFromDevice(caller.deviceId()).setToUser(Ids.bytes(to))
                .setAtMs(System.currentTimeMillis()).build());
    }

    /** 1..MAX_MESSAGE_IDS ids of 16 bytes each, duplicates dropped, in the order given. */
    private static List<ByteString> validIds(ReceiptRequest request) {
        if (request.getMessageIdsCount() == 0) {
            throw Failure.BAD_REQUEST.exception("a receipt needs at least one message id");
        }
        if (request.getMessageIdsCount() > MAX_MESSAGE_IDS) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_MESSAGE_IDS + " message ids per receipt, got "
                    + request.getMessageIdsCount());
        }
        Set<ByteString> ids = new LinkedHashSet<>();
        for (ByteString id : request.getMessageIdsList()) {
            if (id.size() != ID_BYTES) {
                throw Failure.BAD_REQUEST.exception("message_ids must be 16-byte ids, got one of " + id.size() + " bytes");
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    /**
     * The envelopes to store: one per device of the original sender (unless a read or played
     * receipt is suppressed because either side has read receipts off), and for read and played
     * receipts one per other device of the caller, so they mark the messages read too.
     */
    private static InboxDeliveries deliveries(Caller caller, UUID to, Receipt.Type type, List<ByteString> ids,
            SendCheck check) {
        boolean readLike = type != Receipt.Type.DELIVERED;
        boolean toSender = !readLike || (check.getFromReadReceipts() && check.getToReadReceipts());
        Receipt receipt = Receipt.newBuilder().setType(type).addAllMessageIds(ids)
                .setFromUser(Ids.bytes(caller.userId())).setFromDevice(caller.deviceId()).build();
        ByteString receiptId = Ids.bytes(UUID.randomUUID());
        InboxDeliveries.Builder out = InboxDeliveries.newBuilder();
        boolean toSelf = to.equals(caller.userId());
        if (toSender && !toSelf) {
            for (int device : check.getToDevicesList()) {
                out.addDeliveries(delivery(to, device, caller, caller.userId(), receiptId, receipt));
            }
        }
        if (readLike || toSelf) {
            for (int device : check.getFromDevicesList()) {
                if (device != caller.deviceId()) {
                    out.addDeliveries(delivery(caller.userId(), device, caller, to, receiptId, receipt));
                }
            }
        }
        return out.build();
    }

    private static InboxDelivery delivery(UUID user, int device, Caller caller, UUID conversation, ByteString receiptId,
            Receipt receipt) {
        return InboxDelivery.newBuilder().setDevice(DevicePusher.ref(user, device)).setEnvelope(Envelope.newBuilder()
                .setMessageId(receiptId).setSenderUser(Ids.bytes(caller.userId())).setSenderDevice(caller.deviceId())
                .setConversationUser(Ids.bytes(conversation)).setKind(Envelope.Kind.RECEIPT).setReceipt(receipt)).build();
    }

}
