package io.parley.messaging;

import com.google.protobuf.ByteString;
import io.parley.bus.Caller;
import io.parley.bus.DetailedFailure;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.AckRequest;
import io.parley.proto.DeleteMessageRequest;
import io.parley.proto.DeviceMismatch;
import io.parley.proto.DeviceRef;
import io.parley.proto.DisappearingTimer;
import io.parley.proto.EditMessageRequest;
import io.parley.proto.Envelope;
import io.parley.proto.Error;
import io.parley.proto.InboxDelivered;
import io.parley.proto.InboxDeliveries;
import io.parley.proto.InboxPage;
import io.parley.proto.InboxPageRequest;
import io.parley.proto.MessageStored;
import io.parley.proto.Ok;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Push;
import io.parley.proto.SendCheck;
import io.parley.proto.SendMessageRequest;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.SetDisappearingRequest;
import io.parley.proto.SystemNotice;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1:1 sends (messages, edits, deletes for everyone), acks, disappearing timers, deliveries for
 * other services and replay pages. A send is checked against both users' current devices,
 * committed (group commit) and only then acknowledged and pushed.
 */
final class MessagingService {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingService.class);
    private static final int MAX_ACKS = 1_000;
    private static final int MAX_PAGE = 500;
    private static final Ok OK = Ok.getDefaultInstance();

    private final InboxStore store;
    private final InboxWriter writer;
    private final SendChecks checks;
    private final DevicePusher pusher;
    private final MessagingConfig config;
    private final Clock clock;
    private final java.util.function.Consumer<MessageStored> events;

    MessagingService(InboxStore store, InboxWriter writer, SendChecks checks, DevicePusher pusher, MessagingConfig config,
            Clock clock) {
        this(store, writer, checks, pusher, config, clock, event -> { });
    }

    /** With {@code events}, each committed send is reported (metadata only) to the events verticle. */
    MessagingService(InboxStore store, InboxWriter writer, SendChecks checks, DevicePusher pusher, MessagingConfig config,
            Clock clock, java.util.function.Consumer<MessageStored> events) {
        this.events = events;
        this.store = store;
        this.writer = writer;
        this.checks = checks;
        this.pusher = pusher;
        this.config = config;
        this.clock = clock;
    }

    Future<SendMessageResponse> send(Caller caller, SendMessageRequest request) {
        return send(caller, request.getClientMessageId(), request.getRecipient(), request.getEnvelopesList(),
                Envelope.Kind.MESSAGE, ByteString.EMPTY);
    }

    Future<SendMessageResponse> edit(Caller caller, EditMessageRequest request) {
        return original(caller, request.getMessageId(), request.getRecipient(), config.editWindow().toMillis(), "edit")
                .compose(v -> send(caller, request.getClientMessageId(), request.getRecipient(), request.getEnvelopesList(),
                        Envelope.Kind.EDIT, request.getMessageId()));
    }

    Future<SendMessageResponse> delete(Caller caller, DeleteMessageRequest request) {
        return original(caller, request.getMessageId(), request.getRecipient(), config.deleteWindow().toMillis(), "delete")
                .compose(v -> send(caller, request.getClientMessageId(), request.getRecipient(), request.getEnvelopesList(),
                        Envelope.Kind.DELETE, request.getMessageId()))
                .onSuccess(r -> store.deletePending(Ids.uuid(request.getMessageId(), "message_id"))
                        .onFailure(e -> LOG.warn("pending copies of a deleted message not removed: {}", e.getMessage())));
    }

    /** The message an edit or delete refers to must be the caller's, to this recipient, and recent enough. */
    private Future<Void> original(Caller caller, ByteString messageId, ByteString recipient, long windowMs, String what) {
        UUID id = Ids.uuid(messageId, "message_id");
        UUID to = Ids.uuid(recipient, "recipient");
        return store.sentMessage(id).map(found -> {
            InboxStore.SentRecord sent = found.orElseThrow(() -> Failure.NOT_FOUND.exception("no such message to " + what));
            if (!sent.senderUser().equals(caller.userId()) || !sent.recipient().equals(to)) {
                throw Failure.FORBIDDEN.exception("you can " + what + " only messages you sent to this recipient");
            }
            if (clock.millis() - sent.serverTs() > windowMs) {
                throw Failure.CONFLICT.exception("too late to " + what + " this message");
            }
            return null;
        });
    }

    private Future<SendMessageResponse> send(Caller caller, ByteString clientId, ByteString recipientId,
            List<OutgoingEnvelope> envelopes, Envelope.Kind kind, ByteString refersTo) {
        UUID clientMessageId = Ids.uuid(clientId, "client_message_id");
        UUID recipient = Ids.uuid(recipientId, "recipient");
        validate(envelopes);
        return checks.get(caller.userId(), recipient, false)
                .compose(check -> matches(caller, recipient, envelopes, check)
                        || mismatches(caller, recipient, envelopes, check).isEmpty() ? Future.succeededFuture(check)
                        : checks.get(caller.userId(), recipient, true))
                .compose(check -> {
                    if (!check.getExists()) {
                        return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
                    }
                    if (check.getBlocked()) {
                        return Future.failedFuture(Failure.FORBIDDEN.exception("this user does not accept your messages"));
                    }
                    List<DeviceMismatch> mismatches = matches(caller, recipient, envelopes, check) ? List.of()
                            : mismatches(caller, recipient, envelopes, check);
                    if (!mismatches.isEmpty()) {
                        return Future.failedFuture(mismatchFailure(mismatches));
                    }
                    long now = clock.millis();
                    UUID messageId = UUID.randomUUID();
                    List<InboxRow> rows = new ArrayList<>(envelopes.size());
                    for (OutgoingEnvelope out : envelopes) {
                        UUID target = Ids.uuid(out.getUserId(), "envelope user_id");
                        rows.add(new InboxRow(target, out.getDeviceId(), Envelope.newBuilder()
                                .setMessageId(Ids.bytes(messageId)).setSenderUser(Ids.bytes(caller.userId()))
                                .setSenderDevice(caller.deviceId())
                                .setConversationUser(Ids.bytes(target.equals(caller.userId()) ? recipient : caller.userId()))
                                .setServerTimestampMs(now).setKind(kind).setContent(out.getContent())
                                .setContentType(out.getContentType()).setRefersTo(refersTo).build()));
                    }
                    InboxStore.SentRecord record = new InboxStore.SentRecord(caller.userId(), caller.deviceId(),
                            clientMessageId, messageId, recipient, now);
                    return writer.send(record, rows).map(result -> {
                        push(rows, result.stored());
                        announce(result, kind, false);
                        return SendMessageResponse.newBuilder().setMessageId(Ids.bytes(result.record().messageId()))
                                .setServerTimestampMs(result.record().serverTs()).setDuplicate(result.duplicate()).build();
                    });
                });
    }

    private void validate(List<OutgoingEnvelope> envelopes) {
        if (envelopes.isEmpty()) {
            throw Failure.BAD_REQUEST.exception("a send needs at least one envelope");
        }
        if (envelopes.size() > config.maxEnvelopes()) {
            throw Failure.TOO_LARGE.exception("at most " + config.maxEnvelopes() + " envelopes per send");
        }
        for (OutgoingEnvelope e : envelopes) {
            if (e.getContent().isEmpty()) {
                throw Failure.BAD_REQUEST.exception("an envelope has no content");
            }
            if (e.getContent().size() > config.maxPayloadBytes()) {
                throw Failure.TOO_LARGE.exception("an envelope of " + e.getContent().size() + " bytes is over the limit of "
                        + config.maxPayloadBytes());
            }
        }
    }

    /**
     * The common case without building sets: one envelope for each of the recipient's devices and
     * each of the sender's other devices, none twice, nobody else. False sends it to
     * {@link #mismatches}, which says what is wrong.
     */
    private static boolean matches(Caller caller, UUID recipient, List<OutgoingEnvelope> envelopes, SendCheck check) {
        boolean self = recipient.equals(caller.userId());
        int expected = check.getFromDevicesCount() - 1 + (self ? 0 : check.getToDevicesCount());
        if (envelopes.size() != expected || !check.getFromDevicesList().contains(caller.deviceId())) {
            return false;
        }
        ByteString callerId = Ids.bytes(caller.userId());
        ByteString recipientId = self ? callerId : Ids.bytes(recipient);
        for (int i = 0; i < envelopes.size(); i++) {
            OutgoingEnvelope e = envelopes.get(i);
            int device = e.getDeviceId();
            boolean own = e.getUserId().equals(callerId);
            boolean listed = own ? device != caller.deviceId() && check.getFromDevicesList().contains(device)
                    : e.getUserId().equals(recipientId) && check.getToDevicesList().contains(device);
            if (!listed) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (envelopes.get(j).getDeviceId() == device && envelopes.get(j).getUserId().equals(e.getUserId())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Per user, the devices the send missed and those it named that do not exist (empty: all match). */
    private static List<DeviceMismatch> mismatches(Caller caller, UUID recipient, List<OutgoingEnvelope> envelopes,
            SendCheck check) {
        Map<UUID, Set<Integer>> expected = new HashMap<>();
        Set<Integer> own = new TreeSet<>(check.getFromDevicesList());
        own.remove(caller.deviceId());
        expected.put(caller.userId(), own);
        if (!recipient.equals(caller.userId())) {
            expected.put(recipient, new TreeSet<>(check.getToDevicesList()));
        }
        Map<UUID, Set<Integer>> named = new HashMap<>();
        for (OutgoingEnvelope e : envelopes) {
            UUID user = Ids.uuid(e.getUserId(), "envelope user_id");
            if (!expected.containsKey(user)) {
                throw Failure.BAD_REQUEST.exception("an envelope is for a user who is neither the recipient nor you");
            }
            if (!named.computeIfAbsent(user, u -> new HashSet<>()).add(e.getDeviceId())) {
                throw Failure.BAD_REQUEST.exception("two envelopes for the same device " + e.getDeviceId());
            }
        }
        List<DeviceMismatch> mismatches = new ArrayList<>();
        expected.forEach((user, devices) -> {
            Set<Integer> given = named.getOrDefault(user, Set.of());
            List<Integer> missing = devices.stream().filter(d -> !given.contains(d)).sorted().toList();
            List<Integer> extra = given.stream().filter(d -> !devices.contains(d)).sorted().toList();
            if (!missing.isEmpty() || !extra.isEmpty()) {
                mismatches.add(DeviceMismatch.newBuilder().setUserId(Ids.bytes(user)).addAllMissingDevices(missing)
                        .addAllExtraDevices(extra).build());
            }
        });
        return mismatches;
    }

    /** 410 when the send names devices that are gone, else 409 for devices it missed; both lists either way. */
    private static DetailedFailure mismatchFailure(List<DeviceMismatch> mismatches) {
        boolean extra = mismatches.stream().anyMatch(m -> m.getExtraDevicesCount() > 0);
        Failure failure = extra ? Failure.GONE : Failure.CONFLICT;
        return new DetailedFailure(Error.newBuilder().setCode(failure.code())
                .setMessage(extra ? "the send names devices that no longer exist" : "the send misses devices")
                .addAllMismatches(mismatches).build());
    }

    Future<Ok> ack(Caller caller, AckRequest request) {
        if (request.getSequencesCount() > MAX_ACKS) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_ACKS + " acks per request");
        }
        if (request.getSequencesCount() == 0) {
            return Future.succeededFuture(OK);
        }
        return writer.ack(caller.userId(), caller.deviceId(), request.getSequencesList()).map(deleted -> {
            if (deleted < request.getSequencesCount()) {
                LOG.info("ignored acks of envelopes not in the device's inbox [device: {}, ignored: {}]", caller,
                        request.getSequencesCount() - deleted);
            }
            return OK;
        });
    }

    Future<Ok> setDisappearing(Caller caller, SetDisappearingRequest request) {
        UUID peer = Ids.uuid(request.getPeer(), "peer");
        int seconds = switch (request.getTimer()) {
            case OFF -> 0;
            case HOURS_24 -> 24 * 3600;
            case DAYS_7 -> 7 * 24 * 3600;
            case DAYS_90 -> 90 * 24 * 3600;
            default -> throw Failure.BAD_REQUEST.exception("timer must be OFF, HOURS_24, DAYS_7 or DAYS_90");
        };
        return checks.get(caller.userId(), peer, true).compose(check -> {
            if (!check.getExists()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
            }
            if (check.getBlocked()) {
                return Future.failedFuture(Failure.FORBIDDEN.exception("this user does not accept your messages"));
            }
            long now = clock.millis();
            return store.setTimer(caller.userId(), peer, seconds, now).compose(v -> {
                UUID noticeId = UUID.randomUUID();
                SystemNotice notice = SystemNotice.newBuilder().setDisappearing(request.getTimer())
                        .setChangedBy(Ids.bytes(caller.userId())).build();
                List<InboxRow> rows = new ArrayList<>();
                check.getFromDevicesList().forEach(d -> rows.add(systemRow(caller.userId(), d, peer, noticeId, caller, now, notice)));
                if (!peer.equals(caller.userId())) {
                    check.getToDevicesList().forEach(d -> rows.add(systemRow(peer, d, caller.userId(), noticeId, caller, now, notice)));
                }
                return writer.deliver(rows).map(stored -> {
                    push(rows, stored);
                    return OK;
                });
            });
        });
    }

    private static InboxRow systemRow(UUID user, int device, UUID conversation, UUID noticeId, Caller caller, long now,
            SystemNotice notice) {
        return new InboxRow(user, device, Envelope.newBuilder().setMessageId(Ids.bytes(noticeId))
                .setSenderUser(Ids.bytes(caller.userId())).setSenderDevice(caller.deviceId())
                .setConversationUser(Ids.bytes(conversation)).setServerTimestampMs(now).setKind(Envelope.Kind.SYSTEM)
                .setNotice(notice).build());
    }

    /** Stores envelopes other services hand over (receipts, notices) and pushes them. */
    Future<InboxDelivered> deliver(InboxDeliveries request) {
        long now = clock.millis();
        List<InboxRow> rows = new ArrayList<>(request.getDeliveriesCount());
        request.getDeliveriesList().forEach(d -> {
            Envelope.Builder e = d.getEnvelope().toBuilder();
            if (e.getServerTimestampMs() == 0) {
                e.setServerTimestampMs(now);
            }
            rows.add(new InboxRow(Ids.uuid(d.getDevice().getUserId(), "user_id"), d.getDevice().getDeviceId(), e.build()));
        });
        if (rows.isEmpty()) {
            return Future.succeededFuture(InboxDelivered.getDefaultInstance());
        }
        return writer.deliver(rows).map(stored -> {
            push(rows, stored);
            return InboxDelivered.newBuilder().setStored(stored.size()).build();
        });
    }

    /**
     * A group message's fan-out: its body stored once and a row per device pointing at it, committed
     * like any send (idempotent on the sender's client message id), then pushed.
     */
    Future<io.parley.proto.SharedDelivered> deliverShared(io.parley.proto.SharedDelivery request) {
        Envelope template = request.getEnvelope();
        if (template.getContent().isEmpty() || template.getContent().size() > config.maxPayloadBytes()) {
            throw (template.getContent().isEmpty() ? Failure.BAD_REQUEST : Failure.TOO_LARGE)
                    .exception("a shared body must have 1 to " + config.maxPayloadBytes() + " bytes");
        }
        long now = clock.millis();
        UUID messageId = UUID.randomUUID();
        UUID bodyId = UUID.randomUUID();
        Envelope envelope = template.toBuilder().setMessageId(Ids.bytes(messageId)).setServerTimestampMs(now).build();
        List<InboxRow> rows = new ArrayList<>(request.getDevicesCount());
        request.getDevicesList().forEach(d -> rows.add(new InboxRow(Ids.uuid(d.getUserId(), "user_id"), d.getDeviceId(),
                envelope, bodyId)));
        UUID sender = Ids.uuid(template.getSenderUser(), "sender_user");
        InboxStore.SentRecord record = new InboxStore.SentRecord(sender, template.getSenderDevice(),
                Ids.uuid(request.getClientMessageId(), "client_message_id"), messageId,
                Ids.uuid(request.getRecipient(), "recipient"), now);
        return writer.send(record, rows, new InboxWriter.Body(bodyId, template.getContent())).map(result -> {
            push(rows, result.stored());
            announce(result, template.getKind(), true);
            return io.parley.proto.SharedDelivered.newBuilder().setMessageId(Ids.bytes(result.record().messageId()))
                    .setServerTimestampMs(result.record().serverTs()).setDuplicate(result.duplicate())
                    .setStored(result.stored().size()).build();
        });
    }

    Future<InboxPage> page(InboxPageRequest request) {
        int limit = Math.min(MAX_PAGE, Math.max(1, request.getLimit()));
        return store.page(Ids.uuid(request.getDevice().getUserId(), "user_id"), request.getDevice().getDeviceId(),
                request.getAfterSequence(), limit, clock.millis()).map(page -> InboxPage.newBuilder().addAllEnvelopes(page).build());
    }

    Future<int[]> sweep() {
        return store.sweep(clock.millis(), config.deleteWindow().toMillis());
    }

    /** Tells the events verticle what was committed: ids, parties, kind and counts, never content. */
    private void announce(InboxWriter.SendResult result, Envelope.Kind kind, boolean group) {
        if (result.duplicate()) {
            return;
        }
        InboxStore.SentRecord sent = result.record();
        events.accept(MessageStored.newBuilder().setMessageId(Ids.bytes(sent.messageId()))
                .setSenderUser(Ids.bytes(sent.senderUser())).setSenderDevice(sent.senderDevice())
                .setRecipient(Ids.bytes(sent.recipient())).setKind(kind).setDevices(result.stored().size())
                .setAtMs(sent.serverTs()).setGroup(group).build());
    }

    /** Pushes each stored envelope to its row's device, wherever it is connected (one route look-up per batch). */
    private void push(List<InboxRow> rows, List<Envelope> stored) {
        if (stored.isEmpty()) {
            return;
        }
        List<DeviceRef> devices = new ArrayList<>(stored.size());
        List<Push> pushes = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            devices.add(DevicePusher.ref(rows.get(i).userId(), rows.get(i).deviceId()));
            pushes.add(Push.newBuilder().setEnvelope(stored.get(i)).build());
        }
        pusher.pushEach(devices, pushes).onFailure(e -> LOG.warn("live push failed (the inbox keeps them): {}", e.getMessage()));
    }
}
