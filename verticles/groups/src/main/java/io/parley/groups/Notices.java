package io.parley.groups;

import io.parley.bus.Addresses;
import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Ids;
import io.parley.proto.DeviceRef;
import io.parley.proto.Envelope;
import io.parley.proto.GroupContentType;
import io.parley.proto.GroupNotice;
import io.parley.proto.SharedDelivered;
import io.parley.proto.SharedDelivery;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group notices as durable system messages: written to the outbox in the transaction of the
 * change, then delivered through messaging (one body, a row per device of every named user) and
 * removed from the outbox. What could not be delivered stays and is retried by {@link #redeliverStale()}.
 */
final class Notices {
    private static final Logger LOG = LoggerFactory.getLogger(Notices.class);
    private static final long DELIVER_TIMEOUT_MS = 10_000;
    private static final int REDELIVER_BATCH = 100;

    private final GroupStore store;
    private final AccountsLookup accounts;
    private final EventBus bus;
    private final Clock clock;
    private final long retryAfterMs;

    Notices(GroupStore store, AccountsLookup accounts, EventBus bus, Clock clock, long retryAfterMs) {
        this.store = store;
        this.accounts = accounts;
        this.bus = bus;
        this.clock = clock;
        this.retryAfterMs = retryAfterMs;
    }

    /** A notice of the group's state after a change, for these recipients, written in the change's transaction. */
    Future<GroupStore.OutboxRow> record(SqlConnection tx, GroupStore.GroupRow group, Caller actor, GroupNotice.Kind kind,
            List<UUID> users, List<UUID> recipients) {
        GroupNotice notice = GroupNotice.newBuilder().setKind(kind).setGroupId(Ids.bytes(group.id()))
                .setActor(Ids.bytes(actor.userId())).addAllUsers(users.stream().map(Ids::bytes).toList())
                .setRevision(group.revision()).setSubject(group.subject()).setDescription(group.description())
                .setAvatarRef(group.avatarRef()).setAnnouncementOnly(group.announcementOnly())
                .setInfoEditorsValue(group.infoEditors()).build();
        GroupStore.OutboxRow row = new GroupStore.OutboxRow(UUID.randomUUID(), group.id(), actor.userId(), actor.deviceId(),
                List.copyOf(recipients), notice.toByteArray(), clock.millis());
        return store.insertOutbox(tx, row).map(row);
    }

    /** Delivers committed notices in order; a failure is logged and left to the retry. */
    Future<Void> deliverAll(List<GroupStore.OutboxRow> rows) {
        Future<Void> chain = Future.succeededFuture();
        for (GroupStore.OutboxRow row : rows) {
            chain = chain.compose(v -> deliver(row));
        }
        return chain.recover(e -> {
            LOG.warn("group notice not delivered yet, left in the outbox for a retry: {}", e.getMessage());
            return Future.succeededFuture();
        });
    }

    private Future<Void> deliver(GroupStore.OutboxRow row) {
        return accounts.devices(row.recipients()).compose(sets -> {
            List<DeviceRef> devices = new ArrayList<>();
            row.recipients().forEach(user -> sets.getOrDefault(user, List.of())
                    .forEach(d -> devices.add(DevicePusher.ref(user, d))));
            if (devices.isEmpty()) {
                return Future.succeededFuture();
            }
            SharedDelivery delivery = SharedDelivery.newBuilder().setClientMessageId(Ids.bytes(row.noticeId()))
                    .setRecipient(Ids.bytes(row.groupId())).addAllDevices(devices)
                    .setEnvelope(Envelope.newBuilder().setKind(Envelope.Kind.SYSTEM).setSenderUser(Ids.bytes(row.actor()))
                            .setSenderDevice(row.actorDevice()).setConversationUser(Ids.bytes(row.groupId()))
                            .setGroupId(Ids.bytes(row.groupId())).setContentType(GroupContentType.GROUP_CONTENT_NOTICE_VALUE)
                            .setContent(com.google.protobuf.ByteString.copyFrom(row.content())))
                    .build();
            return bus.<SharedDelivered>request(Addresses.MESSAGING_DELIVER_SHARED, delivery,
                    new DeliveryOptions().setSendTimeout(DELIVER_TIMEOUT_MS)).mapEmpty();
        }).compose(v -> store.deleteOutbox(row.noticeId()));
    }

    /** Delivers notices that have waited in the outbox longer than the retry interval; returns how many. */
    Future<Integer> redeliverStale() {
        return store.staleOutbox(clock.millis() - retryAfterMs, REDELIVER_BATCH)
                .compose(rows -> deliverAll(rows).map(rows.size()));
    }
}
