package io.parley.calls;

import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.CallAcceptRequest;
import io.parley.proto.CallEvent;
import io.parley.proto.CallOfferRequest;
import io.parley.proto.CallOffered;
import io.parley.proto.CallOutcome;
import io.parley.proto.CallRejectRequest;
import io.parley.proto.CallState;
import io.parley.proto.Ok;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1:1 calls: an offer rings every device of the callee (busy when the callee is in a call, 403
 * when the callee blocked the caller), a device that connects while the call rings rings too, the
 * first device to accept takes the call and the others stop ringing, a reject or a hang-up ends
 * it, and a ring with no answer by its deadline is missed. Every end writes both users' history;
 * an unanswered call leaves a missed-call entry in the callee's chat.
 */
final class DirectCalls {
    private static final Logger LOG = LoggerFactory.getLogger(DirectCalls.class);
    private static final Ok OK = Ok.getDefaultInstance();
    private static final int SWEEP_BATCH = 100;

    private final CallStore store;
    private final CallHistoryStore history;
    private final AccountLookups accounts;
    private final CallNotifier notifier;
    private final CallLifecycleConfig config;
    private final Clock clock;

    DirectCalls(CallStore store, CallHistoryStore history, AccountLookups accounts, CallNotifier notifier,
            CallLifecycleConfig config, Clock clock) {
        this.store = store;
        this.history = history;
        this.accounts = accounts;
        this.notifier = notifier;
        this.config = config;
        this.clock = clock;
    }

    Future<CallOffered> offer(Caller caller, CallOfferRequest request) {
        UUID callee = Ids.uuid(request.getCallee(), "callee");
        if (callee.equals(caller.userId())) {
            throw Failure.BAD_REQUEST.exception("a call goes to another user");
        }
        return accounts.check(caller.userId(), callee).compose(check -> {
            if (!check.getExists()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
            }
            if (check.getBlocked()) {
                return Future.failedFuture(Failure.FORBIDDEN.exception("this user does not take your calls"));
            }
            long now = clock.millis();
            Call call = new Call(UUID.randomUUID(), false, caller.userId(), caller.deviceId(), callee, request.getVideo(),
                    true, now, now + config.ringTimeout().toMillis(), 0, 0);
            return store.offer(call).compose(result -> switch (result) {
                case CALLER_BUSY -> Future.failedFuture(Failure.CONFLICT.exception("you are already in a call; hang up first"));
                case BUSY -> busy(call, check.getToDevicesList(), now);
                case OK -> notifier.push(callee, check.getToDevicesList(), CallNotifier.event(CallEvent.Kind.INCOMING, call, now)
                                .build())
                        .compose(rung -> (rung > 0 ? store.markCallerToldRinging(call.id()) : Future.succeededFuture(false))
                                .map(told -> CallOffered.newBuilder().setCallId(Ids.bytes(call.id())).setDevicesRung(rung)
                                        .setRingUntilMs(call.ringUntil()).build()));
            });
        });
    }

    /** The callee is in another call: nothing rings; both histories say BUSY and the callee's chat shows it. */
    private Future<CallOffered> busy(Call call, List<Integer> calleeDevices, long now) {
        return history.record(entries(call, CallOutcome.BUSY, now))
                .compose(v -> notifier.notice(call.callee(), calleeDevices, call.caller(), call, CallOutcome.BUSY, now))
                .map(v -> CallOffered.newBuilder().setCallId(Ids.bytes(call.id())).setBusy(true).build());
    }

    Future<CallState> accept(Caller caller, CallAcceptRequest request) {
        UUID id = Ids.uuid(request.getCallId(), "call_id");
        long now = clock.millis();
        return store.accept(id, caller.userId(), caller.deviceId(), now).compose(result -> switch (result) {
            case GONE -> Future.failedFuture(Failure.NOT_FOUND.exception("no such call (it ended or never was)"));
            case GROUP -> Future.failedFuture(Failure.BAD_REQUEST.exception("a group call is joined with group_call_join"));
            case FORBIDDEN -> Future.failedFuture(Failure.FORBIDDEN.exception("this call is not for you"));
            case ANSWERED -> Future.failedFuture(Failure.CONFLICT.exception("the call was already answered"));
            case OK -> store.get(id).compose(found -> {
                if (found.isEmpty()) {
                    return Future.failedFuture(Failure.GONE.exception("the call ended meanwhile"));
                }
                Call call = found.get();
                CallState state = state(call);
                Future<Integer> toCaller = notifier.push(call.caller(), call.callerDevice(),
                        CallNotifier.event(CallEvent.Kind.ACCEPTED, call, now).setByUser(Ids.bytes(caller.userId()))
                                .setByDevice(caller.deviceId()).addAllParticipants(state.getParticipantsList()).build());
                Future<Integer> elsewhere = accounts.devices(caller.userId()).compose(devices -> notifier.push(caller.userId(),
                        devices.stream().filter(d -> d != caller.deviceId()).toList(),
                        CallNotifier.event(CallEvent.Kind.ANSWERED_ELSEWHERE, call, now).setByUser(Ids.bytes(caller.userId()))
                                .setByDevice(caller.deviceId()).build()));
                return Future.join(toCaller, elsewhere).map(state);
            });
        });
    }

    Future<Ok> reject(Caller caller, CallRejectRequest request) {
        UUID id = Ids.uuid(request.getCallId(), "call_id");
        return load(id).compose(call -> {
            if (call.group()) {
                return Future.failedFuture(Failure.BAD_REQUEST.exception("a group call is left with call_hang_up"));
            }
            if (!caller.userId().equals(call.callee())) {
                return Future.failedFuture(Failure.FORBIDDEN.exception("only the callee rejects a call"));
            }
            if (!call.ringing()) {
                return Future.failedFuture(Failure.CONFLICT.exception("the call was already answered; hang up instead"));
            }
            return end(call, true, CallOutcome.REJECTED, caller.userId(), caller.deviceId());
        });
    }

    /** Hang-up by a device of the call: the caller before an answer cancels (missed), a ringing callee rejects. */
    Future<Ok> hangUp(Caller caller, Call call) {
        UUID user = caller.userId();
        int device = caller.deviceId();
        if (call.isCallerDevice(user, device)) {
            return end(call, call.ringing(), call.ringing() ? CallOutcome.MISSED : CallOutcome.ANSWERED, user, device);
        }
        if (user.equals(call.callee()) && call.ringing()) {
            return end(call, true, CallOutcome.REJECTED, user, device);
        }
        if (call.isAnsweringDevice(user, device)) {
            return end(call, false, CallOutcome.ANSWERED, user, device);
        }
        if (user.equals(call.caller()) || user.equals(call.callee())) {
            return Future.failedFuture(Failure.FORBIDDEN.exception("this call is on another of your devices"));
        }
        return Future.failedFuture(Failure.FORBIDDEN.exception("you are not in this call"));
    }

    private Future<Ok> end(Call call, boolean ringing, CallOutcome outcome, UUID byUser, int byDevice) {
        return store.end(call, ringing, 0).compose(ended -> ended
                ? finish(call, outcome, byUser, byDevice).map(OK)
                : Future.failedFuture(Failure.CONFLICT.exception("the call changed meanwhile (answered or ended); look again")));
    }

    /** Missed: every 1:1 call whose ring deadline passed. Returns how many. */
    Future<Integer> expire() {
        long now = clock.millis();
        return store.due(now, SWEEP_BATCH).compose(ids -> {
            List<Future<Boolean>> each = new ArrayList<>(ids.size());
            for (UUID id : ids) {
                each.add(store.get(id).compose(found -> {
                    if (found.isEmpty()) {
                        return store.forget(id).map(false);
                    }
                    Call call = found.get();
                    return store.end(call, true, now).compose(ended -> ended
                            ? finish(call, CallOutcome.MISSED, null, 0).map(true) : Future.succeededFuture(false));
                }));
            }
            return Future.join(each).map(all -> (int) each.stream().filter(f -> f.succeeded() && f.result()).count());
        });
    }

    /** A device connected while its user is rung for a call: it rings too (once per connection). */
    Future<Void> connected(UUID user, int device, String connectionId, Call call) {
        if (!call.ringing() || !user.equals(call.callee())) {
            return Future.succeededFuture();
        }
        long now = clock.millis();
        return store.markRung(call.id(), user, device, connectionId).compose(first -> !first ? Future.succeededFuture()
                : notifier.push(user, device, CallNotifier.event(CallEvent.Kind.INCOMING, call, now).build())
                        .compose(rung -> rung > 0 ? store.markCallerToldRinging(call.id()) : Future.succeededFuture(false))
                        .compose(tell -> tell ? notifier.push(call.caller(), call.callerDevice(),
                                CallNotifier.event(CallEvent.Kind.RINGING, call, now).build()).mapEmpty()
                                : Future.succeededFuture()));
    }

    /** A device of the call went away (removed, or not back within the grace): the call ends as if it hung up. */
    Future<Void> gone(UUID user, int device, Call call) {
        if (call.isCallerDevice(user, device) || call.isAnsweringDevice(user, device)) {
            return hangUp(new Caller(user, device), call).<Void>mapEmpty().recover(e -> Future.succeededFuture());
        }
        return Future.succeededFuture();
    }

    /**
     * After an end: tells the devices still in the call or ringing (not the one that ended it),
     * writes both histories, and leaves a missed-call entry in the callee's chat when it was missed.
     */
    private Future<Void> finish(Call call, CallOutcome outcome, UUID byUser, int byDevice) {
        long now = clock.millis();
        CallEvent.Builder ended = CallNotifier.event(CallEvent.Kind.ENDED, call, now).setOutcome(outcome);
        if (byUser != null) {
            ended.setByUser(Ids.bytes(byUser)).setByDevice(byDevice);
        }
        CallEvent event = ended.build();
        boolean byCaller = byUser != null && call.isCallerDevice(byUser, byDevice);
        boolean byAnswerer = byUser != null && call.isAnsweringDevice(byUser, byDevice);
        boolean byCallee = byUser != null && byUser.equals(call.callee());
        Future<Integer> toCaller = byCaller ? Future.succeededFuture(0)
                : notifier.push(call.caller(), call.callerDevice(), event);
        Future<List<Integer>> calleeDevices = accounts.devices(call.callee());
        Future<Integer> toCallee = calleeDevices.compose(devices -> notifier.push(call.callee(), devices.stream()
                .filter(d -> call.ringing() ? !(byCallee && d == byDevice) : d == call.answeredDevice() && !byAnswerer)
                .toList(), event));
        Future<Void> written = history.record(entries(call, outcome, now));
        Future<Void> noticed = outcome != CallOutcome.MISSED ? Future.succeededFuture()
                : calleeDevices.compose(devices -> notifier.notice(call.callee(), devices, call.caller(), call, outcome, now));
        return Future.join(toCaller, toCallee, written, noticed).<Void>mapEmpty().recover(e -> {
            LOG.warn("call end not fully recorded [call: {}, outcome: {}]: {}", call.id(), outcome, e.getMessage());
            return Future.succeededFuture();
        });
    }

    private static List<CallHistoryStore.Entry> entries(Call call, CallOutcome outcome, long now) {
        long answered = outcome == CallOutcome.ANSWERED ? call.answeredAt() : 0;
        return List.of(
                new CallHistoryStore.Entry(call.caller(), call.id(), call.callee(), true, call.video(), false,
                        call.startedAt(), answered, now, outcome),
                new CallHistoryStore.Entry(call.callee(), call.id(), call.caller(), false, call.video(), false,
                        call.startedAt(), answered, now, outcome));
    }

    static CallState state(Call call) {
        CallState.Builder state = CallState.newBuilder().setCallId(Ids.bytes(call.id())).setVideo(call.video())
                .setCaller(Ids.bytes(call.caller())).setRingUntilMs(call.ringUntil())
                .addParticipants(CallNotifier.participant(call.caller(), call.callerDevice(), call.startedAt()));
        if (!call.ringing()) {
            state.addParticipants(CallNotifier.participant(call.callee(), call.answeredDevice(), call.answeredAt()));
        }
        return state.build();
    }

    private Future<Call> load(UUID id) {
        return store.get(id).compose(found -> found.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(Failure.NOT_FOUND.exception("no such call (it ended or never was)"))));
    }
}
