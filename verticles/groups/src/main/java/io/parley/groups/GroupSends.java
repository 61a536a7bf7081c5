package io.parley.groups;

import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.DetailedFailure;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.DeviceMismatch;
import io.parley.proto.DeviceRef;
import io.parley.proto.Envelope;
import io.parley.proto.Error;
import io.parley.proto.GroupDeliveries;
import io.parley.proto.GroupReceiptRequest;
import io.parley.proto.GroupSendRequest;
import io.parley.proto.MemberReceipt;
import io.parley.proto.MessageInfo;
import io.parley.proto.MessageInfoRequest;
import io.parley.proto.Ok;
import io.parley.proto.Receipt;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.SharedDelivered;
import io.parley.proto.SharedDelivery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Group sends, receipts and message info. A send is one ciphertext addressed to exactly the
 * current member devices (checked as a 1:1 send's device list is), handed to messaging to be
 * stored once with an inbox row per device, and recorded here for its receipts.
 */
final class GroupSends {
    static final int MAX_CONTENT_BYTES = 64 * 1024;
    private static final int MAX_RECEIPT_IDS = 100;
    private static final long DELIVER_TIMEOUT_MS = 10_000;

    private final GroupStore groups;
    private final MessageStore messages;
    private final ReceiptWriter receipts;
    private final AccountsLookup accounts;
    private final EventBus bus;
    private final GroupsConfig config;
    private final Clock clock;

    GroupSends(GroupStore groups, MessageStore messages, AccountsLookup accounts, EventBus bus, GroupsConfig config,
            Clock clock) {
        this.groups = groups;
        this.messages = messages;
        this.receipts = new ReceiptWriter(messages);
        this.accounts = accounts;
        this.bus = bus;
        this.config = config;
        this.clock = clock;
    }

    Future<SendMessageResponse> send(Caller caller, GroupSendRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        Ids.uuid(request.getClientMessageId(), "client_message_id");
        if (request.getContent().isEmpty()) {
            throw Failure.BAD_REQUEST.exception("a group message has no content");
        }
        if (request.getContent().size() > MAX_CONTENT_BYTES) {
            throw Failure.TOO_LARGE.exception("a group message of " + request.getContent().size()
                    + " bytes is over the limit of " + MAX_CONTENT_BYTES);
        }
        if (request.getDevicesCount() > config.maxMembers() * 5) {
            throw Failure.TOO_LARGE.exception("too many devices for one group send");
        }
        return groups.state(groupId).compose(found -> {
            GroupState state = found.orElseThrow(() -> Failure.NOT_FOUND.exception("no such group"));
            GroupsService.requireMember(state, caller);
            if (state.group().announcementOnly() && !state.isAdmin(caller.userId())) {
                throw Failure.FORBIDDEN.exception("only admins send in this announcement group");
            }
            // Remembered device lists on the usual path; a send that does not fit them is checked again
            // against accounts' answer of now before it is refused.
            return accounts.cachedDevices(state.memberIds()).compose(devices -> {
                List<DeviceMismatch> remembered = mismatches(caller, devices, request.getDevicesList());
                return remembered.isEmpty() ? Future.succeededFuture(remembered) : accounts.devices(state.memberIds())
                        .map(now -> mismatches(caller, now, request.getDevicesList()));
            });
        }).compose(mismatches -> {
            if (!mismatches.isEmpty()) {
                boolean extra = mismatches.stream().anyMatch(m -> m.getExtraDevicesCount() > 0);
                Failure failure = extra ? Failure.GONE : Failure.CONFLICT;
                throw new DetailedFailure(Error.newBuilder().setCode(failure.code())
                        .setMessage(extra ? "the send names devices that are not member devices now"
                                : "the send misses member devices")
                        .addAllMismatches(mismatches).build());
            }
            SharedDelivery delivery = SharedDelivery.newBuilder().setClientMessageId(request.getClientMessageId())
                    .setRecipient(request.getGroupId()).addAllDevices(request.getDevicesList())
                    .setEnvelope(Envelope.newBuilder().setKind(Envelope.Kind.MESSAGE).setSenderUser(Ids.bytes(caller.userId()))
                            .setSenderDevice(caller.deviceId()).setConversationUser(request.getGroupId())
                            .setGroupId(request.getGroupId()).setContent(request.getContent())
                            .setContentType(request.getContentType()))
                    .build();
            return bus.<SharedDelivered>request(Addresses.MESSAGING_DELIVER_SHARED, delivery,
                    new DeliveryOptions().setSendTimeout(DELIVER_TIMEOUT_MS)).map(r -> r.body());
        }).compose(delivered -> messages.recordSent(new MessageStore.SentMessage(Ids.uuid(delivered.getMessageId(), "message_id"),
                        groupId, caller.userId(), caller.deviceId(), delivered.getServerTimestampMs()))
                .map(v -> SendMessageResponse.newBuilder().setMessageId(delivered.getMessageId())
                        .setServerTimestampMs(delivered.getServerTimestampMs()).setDuplicate(delivered.getDuplicate()).build()));
    }

    /** Per user, the member devices the send missed and the devices it named that are not member devices. */
    private static List<DeviceMismatch> mismatches(Caller caller, Map<UUID, List<Integer>> members, List<DeviceRef> named) {
        Map<UUID, Set<Integer>> given = new LinkedHashMap<>();
        for (DeviceRef d : named) {
            if (!given.computeIfAbsent(Ids.uuid(d.getUserId(), "devices user_id"), u -> new HashSet<>()).add(d.getDeviceId())) {
                throw Failure.BAD_REQUEST.exception("a device is named twice: " + d.getDeviceId());
            }
        }
        Map<UUID, Set<Integer>> expected = new HashMap<>();
        members.forEach((user, devices) -> {
            Set<Integer> set = new TreeSet<>(devices);
            if (user.equals(caller.userId())) {
                set.remove(caller.deviceId());
            }
            expected.put(user, set);
        });
        Set<UUID> users = new java.util.LinkedHashSet<>(expected.keySet());
        users.addAll(given.keySet());
        List<DeviceMismatch> mismatches = new ArrayList<>();
        for (UUID user : users) {
            Set<Integer> want = expected.getOrDefault(user, Set.of());
            Set<Integer> got = given.getOrDefault(user, Set.of());
            List<Integer> missing = want.stream().filter(d -> !got.contains(d)).sorted().toList();
            List<Integer> extra = got.stream().filter(d -> !want.contains(d)).sorted().toList();
            if (!missing.isEmpty() || !extra.isEmpty()) {
                mismatches.add(DeviceMismatch.newBuilder().setUserId(Ids.bytes(user)).addAllMissingDevices(missing)
                        .addAllExtraDevices(extra).build());
            }
        }
        return mismatches;
    }

    Future<Ok> receipt(Caller caller, GroupReceiptRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        if (request.getMessageIdsCount() == 0) {
            throw Failure.BAD_REQUEST.exception("a receipt names at least one message");
        }
        if (request.getMessageIdsCount() > MAX_RECEIPT_IDS) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_RECEIPT_IDS + " messages per receipt");
        }
        if (request.getType() == Receipt.Type.UNRECOGNIZED) {
            throw Failure.BAD_REQUEST.exception("type must be DELIVERED, READ or PLAYED");
        }
        UUID[] ids = request.getMessageIdsList().stream().map(b -> Ids.uuid(b, "message_ids")).toArray(UUID[]::new);
        boolean read = request.getType() != Receipt.Type.DELIVERED;
        // One statement on the usual path; only a receipt that applied to nothing asks why.
        return receipts.write(groupId, caller.userId(), ids, read, clock.millis()).compose(applied -> applied > 0
                ? Future.succeededFuture(Ok.getDefaultInstance())
                : groups.membership(groupId, caller.userId()).map(membership -> {
                    if (!membership[0]) {
                        throw Failure.NOT_FOUND.exception("no such group");
                    }
                    if (!membership[1]) {
                        throw Failure.FORBIDDEN.exception("you are not a member of this group");
                    }
                    return Ok.getDefaultInstance();
                }));
    }

    /** Member devices acked these group messages: they are delivered to those members. */
    void delivered(GroupDeliveries deliveries) {
        receipts.delivered(deliveries);
    }

    /** For the sender only: every other current member with the times its receipts arrived. */
    Future<MessageInfo> info(Caller caller, MessageInfoRequest request) {
        UUID groupId = Ids.uuid(request.getGroupId(), "group_id");
        UUID messageId = Ids.uuid(request.getMessageId(), "message_id");
        return messages.sent(messageId).compose(found -> {
            MessageStore.SentMessage sent = found.filter(m -> m.groupId().equals(groupId))
                    .orElseThrow(() -> Failure.NOT_FOUND.exception("no such message in this group"));
            if (!sent.senderUser().equals(caller.userId())) {
                throw Failure.FORBIDDEN.exception("only the sender sees a message's info");
            }
            return Future.all(groups.state(groupId), messages.receipts(messageId)).map(both -> {
                java.util.Optional<GroupState> state = both.resultAt(0);
                Map<UUID, MessageStore.Times> times = both.resultAt(1);
                MessageInfo.Builder info = MessageInfo.newBuilder().setMessageId(request.getMessageId()).setSentMs(sent.sentAt());
                List<UUID> members = state.map(GroupState::memberIds).orElse(List.of());
                Set<UUID> listed = new HashSet<>();
                for (UUID user : members) {
                    if (!user.equals(caller.userId()) && listed.add(user)) {
                        info.addMembers(receipt(user, times.get(user)));
                    }
                }
                times.forEach((user, t) -> {
                    if (listed.add(user)) {
                        info.addMembers(receipt(user, t));
                    }
                });
                return info.build();
            });
        });
    }

    private static MemberReceipt receipt(UUID user, MessageStore.Times times) {
        MemberReceipt.Builder r = MemberReceipt.newBuilder().setUserId(Ids.bytes(user));
        if (times != null) {
            r.setDeliveredMs(times.deliveredAt() == null ? 0 : times.deliveredAt());
            r.setReadMs(times.readAt() == null ? 0 : times.readAt());
        }
        return r.build();
    }
}
