package io.parley.calls;

import com.google.protobuf.ByteString;
import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.CallEvent;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallState;
import io.parley.proto.DeviceRef;
import io.parley.proto.GroupCallJoinRequest;
import io.parley.proto.GroupCallStartRequest;
import io.parley.proto.Ok;
import io.parley.proto.Push;
import io.parley.proto.SendCheck;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Group calls as a mesh: the caller's device is in from the start and every invitee's devices
 * ring; invitees join (one device per user, at most {@code maxGroupParticipants} devices at a
 * time, the next gets 409) and leave; every change sends the participant list to everyone in.
 * Media and signalling go pairwise between participants. The call ends when the last one leaves;
 * each participant's history gets a row when it leaves, each invitee who never joined a missed one.
 */
final class GroupCalls {
    static final int MAX_INVITEES = 32;
    private static final Ok OK = Ok.getDefaultInstance();

    private final CallStore store;
    private final CallHistoryStore history;
    private final AccountLookups accounts;
    private final CallNotifier notifier;
    private final CallLifecycleConfig config;
    private final Clock clock;

    GroupCalls(CallStore store, CallHistoryStore history, AccountLookups accounts, CallNotifier notifier,
            CallLifecycleConfig config, Clock clock) {
        this.store = store;
        this.history = history;
        this.accounts = accounts;
        this.notifier = notifier;
        this.config = config;
        this.clock = clock;
    }

    Future<CallState> start(Caller caller, GroupCallStartRequest request) {
        List<UUID> invitees = invitees(caller, request.getInviteesList());
        List<Future<SendCheck>> checks = invitees.stream().map(u -> accounts.check(caller.userId(), u)).toList();
        return Future.all(checks).compose(all -> {
            for (int i = 0; i < invitees.size(); i++) {
                SendCheck check = checks.get(i).result();
                if (!check.getExists()) {
                    return Future.failedFuture(Failure.NOT_FOUND.exception("no such user: invitee " + (i + 1)));
                }
                if (check.getBlocked()) {
                    return Future.failedFuture(Failure.FORBIDDEN.exception("invitee " + (i + 1) + " does not take your calls"));
                }
            }
            long now = clock.millis();
            Call call = new Call(UUID.randomUUID(), true, caller.userId(), caller.deviceId(), null, request.getVideo(),
                    false, now, now + config.ringTimeout().toMillis(), 0, 0);
            return store.startGroup(call, invitees).compose(started -> {
                if (!started) {
                    return Future.failedFuture(Failure.CONFLICT.exception("you are already in a call; hang up first"));
                }
                CallState state = state(call, List.of(new CallStore.Participant(caller.userId(), caller.deviceId(), now)));
                CallEvent incoming = CallNotifier.event(CallEvent.Kind.INCOMING, call, now)
                        .addAllParticipants(state.getParticipantsList()).build();
                List<Future<Integer>> rings = new ArrayList<>();
                for (int i = 0; i < invitees.size(); i++) {
                    rings.add(notifier.push(invitees.get(i), checks.get(i).result().getToDevicesList(), incoming));
                }
                return Future.join(rings).map(state);
            });
        });
    }

    /** 1..MAX_INVITEES distinct 16-byte user ids, none of them the caller. */
    private static List<UUID> invitees(Caller caller, List<ByteString> ids) {
        if (ids.isEmpty()) {
            throw Failure.BAD_REQUEST.exception("a group call needs at least one invitee");
        }
        if (ids.size() > MAX_INVITEES) {
            throw Failure.TOO_LARGE.exception("at most " + MAX_INVITEES + " invitees per group call, got " + ids.size());
        }
        Set<UUID> out = new LinkedHashSet<>();
        for (ByteString id : ids) {
            UUID user = Ids.uuid(id, "invitees");
            if (user.equals(caller.userId())) {
                throw Failure.BAD_REQUEST.exception("invitees must not include yourself");
            }
            out.add(user);
        }
        return List.copyOf(out);
    }

    Future<CallState> join(Caller caller, GroupCallJoinRequest request) {
        UUID id = Ids.uuid(request.getCallId(), "call_id");
        long now = clock.millis();
        return store.join(id, caller.userId(), caller.deviceId(), now, config.maxGroupParticipants()).compose(result -> switch (result) {
            case GONE -> Future.failedFuture(Failure.NOT_FOUND.exception("no such call (it ended or never was)"));
            case NOT_GROUP -> Future.failedFuture(Failure.BAD_REQUEST.exception("a 1:1 call is answered with call_accept"));
            case FORBIDDEN -> Future.failedFuture(Failure.FORBIDDEN.exception("you were not invited to this call"));
            case ALREADY -> Future.failedFuture(Failure.CONFLICT.exception("you are already in this call"));
            case FULL -> Future.failedFuture(Failure.CONFLICT.exception("the call is full: at most "
                    + config.maxGroupParticipants() + " participants"));
            case BUSY -> Future.failedFuture(Failure.CONFLICT.exception("you are in another call; hang up first"));
            case OK -> Future.all(store.get(id), store.participants(id)).compose(both -> {
                if (both.<java.util.Optional<Call>>resultAt(0).isEmpty()) {
                    return Future.failedFuture(Failure.GONE.exception("the call ended meanwhile"));
                }
                Call call = both.<java.util.Optional<Call>>resultAt(0).get();
                List<CallStore.Participant> in = both.resultAt(1);
                CallState state = state(call, in);
                return tellParticipants(call, in, caller, CallEvent.Kind.PARTICIPANTS, now).map(state);
            });
        });
    }

    /** The device leaves; the last one out ends the call. */
    Future<Ok> leave(Caller caller, Call call) {
        long now = clock.millis();
        return store.leave(call.id(), caller.userId(), caller.deviceId()).compose(left -> {
            if (left.isEmpty()) {
                return Future.failedFuture(Failure.FORBIDDEN.exception("you are not in this call"));
            }
            CallStore.Left l = left.get();
            List<CallHistoryStore.Entry> rows = new ArrayList<>();
            rows.add(entry(call, caller.userId(), l.joinedAt(), now, CallOutcome.ANSWERED));
            l.neverJoined().forEach(u -> rows.add(entry(call, u, 0, now, CallOutcome.MISSED)));
            Future<Void> written = history.record(rows);
            Future<?> told = l.remaining() == 0 ? Future.succeededFuture()
                    : store.participants(call.id()).compose(in -> tellParticipants(call, in, caller,
                            CallEvent.Kind.PARTICIPANTS, now));
            List<Future<Void>> notices = l.neverJoined().stream().map(u -> accounts.devices(u)
                    .compose(devices -> notifier.notice(u, devices, call.caller(), call, CallOutcome.MISSED, now))).toList();
            return Future.join(written, told, Future.join(notices)).map(OK);
        });
    }

    /** A device of the call went away for good: it leaves. */
    Future<Void> gone(UUID user, int device, Call call) {
        return leave(new Caller(user, device), call).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    private Future<Integer> tellParticipants(Call call, List<CallStore.Participant> in, Caller by, CallEvent.Kind kind,
            long now) {
        CallState state = state(call, in);
        CallEvent event = CallNotifier.event(kind, call, now).setByUser(Ids.bytes(by.userId())).setByDevice(by.deviceId())
                .addAllParticipants(state.getParticipantsList()).build();
        List<DeviceRef> others = in.stream().filter(p -> !(p.userId().equals(by.userId()) && p.deviceId() == by.deviceId()))
                .map(p -> DevicePusher.ref(p.userId(), p.deviceId())).toList();
        return notifier.push(others, Push.newBuilder().setCall(event).build());
    }

    private static CallHistoryStore.Entry entry(Call call, UUID user, long joinedAt, long now, CallOutcome outcome) {
        return new CallHistoryStore.Entry(user, call.id(), call.caller(), user.equals(call.caller()), call.video(), true,
                call.startedAt(), joinedAt, now, outcome);
    }

    static CallState state(Call call, List<CallStore.Participant> in) {
        CallState.Builder state = CallState.newBuilder().setCallId(Ids.bytes(call.id())).setGroup(true)
                .setVideo(call.video()).setCaller(Ids.bytes(call.caller())).setRingUntilMs(call.ringUntil());
        in.forEach(p -> state.addParticipants(CallNotifier.participant(p.userId(), p.deviceId(), p.joinedAt())));
        return state.build();
    }
}
