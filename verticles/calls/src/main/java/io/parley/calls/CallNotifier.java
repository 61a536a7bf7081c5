package io.parley.calls;

import io.parley.bus.Addresses;
import io.parley.bus.DevicePusher;
import io.parley.bus.Ids;
import io.parley.proto.CallEvent;
import io.parley.proto.CallNotice;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallParticipant;
import io.parley.proto.DeviceRef;
import io.parley.proto.Envelope;
import io.parley.proto.InboxDelivered;
import io.parley.proto.InboxDeliveries;
import io.parley.proto.InboxDelivery;
import io.parley.proto.Push;
import io.parley.proto.SystemNotice;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells devices about calls: live {@link CallEvent} pushes (fire-and-forget, through
 * {@link DevicePusher}), and the durable chat entry of a call that was not answered: a SYSTEM
 * envelope with a {@link CallNotice}, stored through messaging in every device of the callee so a
 * device that was off sees the missed call when it comes back. Never fails: a call's state is
 * already decided when it is told.
 */
final class CallNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(CallNotifier.class);
    private static final long DELIVER_TIMEOUT_MS = 10_000;

    private final DevicePusher pusher;
    private final EventBus bus;

    CallNotifier(DevicePusher pusher, EventBus bus) {
        this.pusher = pusher;
        this.bus = bus;
    }

    /** An event about the call, with what every event carries. */
    static CallEvent.Builder event(CallEvent.Kind kind, Call call, long now) {
        CallEvent.Builder e = CallEvent.newBuilder().setKind(kind).setCallId(Ids.bytes(call.id()))
                .setCaller(Ids.bytes(call.caller())).setCallerDevice(call.callerDevice()).setVideo(call.video())
                .setGroup(call.group()).setRingUntilMs(call.ringUntil()).setAtMs(now);
        return e;
    }

    static CallParticipant participant(UUID user, int device, long joinedAt) {
        return CallParticipant.newBuilder().setUserId(Ids.bytes(user)).setDeviceId(device).setJoinedAtMs(joinedAt).build();
    }

    /** Pushes the event to these devices of the user; completes with how many were connected. */
    Future<Integer> push(UUID user, List<Integer> devices, CallEvent event) {
        if (devices.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<DeviceRef> refs = devices.stream().map(d -> DevicePusher.ref(user, d)).toList();
        return pusher.push(refs, Push.newBuilder().setCall(event).build()).recover(e -> {
            LOG.warn("call event not pushed [call: {}, kind: {}]: {}", Ids.uuid(event.getCallId(), "call_id"),
                    event.getKind(), e.getMessage());
            return Future.succeededFuture(0);
        });
    }

    Future<Integer> push(UUID user, int device, CallEvent event) {
        return push(user, List.of(device), event);
    }

    /** Pushes to several devices, each (user, device) pair given as a ref. */
    Future<Integer> push(List<DeviceRef> devices, Push push) {
        if (devices.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return pusher.push(devices, push).recover(e -> {
            LOG.warn("call push not sent: {}", e.getMessage());
            return Future.succeededFuture(0);
        });
    }

    /** Stores the chat entry of an unanswered call in every device of the user ({@code from}'s conversation). */
    Future<Void> notice(UUID user, List<Integer> devices, UUID from, Call call, CallOutcome outcome, long now) {
        if (devices.isEmpty()) {
            return Future.succeededFuture();
        }
        SystemNotice notice = SystemNotice.newBuilder().setCall(CallNotice.newBuilder().setCallId(Ids.bytes(call.id()))
                .setCaller(Ids.bytes(call.caller())).setVideo(call.video()).setGroup(call.group()).setOutcome(outcome)
                .setStartedAtMs(call.startedAt())).build();
        Envelope envelope = Envelope.newBuilder().setMessageId(Ids.bytes(UUID.randomUUID()))
                .setSenderUser(Ids.bytes(from)).setSenderDevice(call.callerDevice()).setConversationUser(Ids.bytes(from))
                .setServerTimestampMs(now).setKind(Envelope.Kind.SYSTEM).setNotice(notice).build();
        InboxDeliveries.Builder deliveries = InboxDeliveries.newBuilder();
        devices.forEach(d -> deliveries.addDeliveries(InboxDelivery.newBuilder().setDevice(DevicePusher.ref(user, d))
                .setEnvelope(envelope)));
        return bus.<InboxDelivered>request(Addresses.MESSAGING_DELIVER, deliveries.build(),
                        new DeliveryOptions().setSendTimeout(DELIVER_TIMEOUT_MS))
                .<Void>mapEmpty()
                .recover(e -> {
                    LOG.warn("missed-call entry not stored [call: {}, user: {}]: {}", call.id(), user, e.getMessage());
                    return Future.succeededFuture();
                });
    }
}
