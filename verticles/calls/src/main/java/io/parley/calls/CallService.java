package io.parley.calls;

import io.parley.bus.Caller;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.CallHangUpRequest;
import io.parley.proto.CallHistory;
import io.parley.proto.CallHistoryRequest;
import io.parley.proto.DeviceEvent;
import io.parley.proto.Ok;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What is common to 1:1 and group calls: hang-up (end or leave), the history list, and device
 * events from the edge: a device that connects while rung rings; a device of a call that is
 * removed, or disconnects and is not back within {@code calls.reconnectGraceSeconds}, ends or
 * leaves it (the disconnect is noted in Redis, so any instance's sweep acts on it).
 */
final class CallService {
    static final int DEFAULT_HISTORY_PAGE = 50;
    static final int MAX_HISTORY_PAGE = 100;
    private static final int SWEEP_BATCH = 100;

    private final CallStore store;
    private final CallHistoryStore history;
    private final DirectCalls direct;
    private final GroupCalls groups;
    private final DeviceRoutes routes;
    private final CallLifecycleConfig config;
    private final Clock clock;

    CallService(CallStore store, CallHistoryStore history, DirectCalls direct, GroupCalls groups, DeviceRoutes routes,
            CallLifecycleConfig config, Clock clock) {
        this.store = store;
        this.history = history;
        this.direct = direct;
        this.groups = groups;
        this.routes = routes;
        this.config = config;
        this.clock = clock;
    }

    Future<Ok> hangUp(Caller caller, CallHangUpRequest request) {
        UUID id = Ids.uuid(request.getCallId(), "call_id");
        return store.get(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such call (it ended or never was)"));
            }
            Call call = found.get();
            return call.group() ? groups.leave(caller, call) : direct.hangUp(caller, call);
        });
    }

    Future<CallHistory> history(Caller caller, CallHistoryRequest request) {
        int limit = request.getLimit() == 0 ? DEFAULT_HISTORY_PAGE : request.getLimit();
        if (limit < 0 || limit > MAX_HISTORY_PAGE) {
            throw Failure.BAD_REQUEST.exception("limit is at most " + MAX_HISTORY_PAGE + ", got "
                    + Integer.toUnsignedString(limit));
        }
        long before = request.getBeforeMs() == 0 ? Long.MAX_VALUE : request.getBeforeMs();
        if (before < 0) {
            throw Failure.BAD_REQUEST.exception("before_ms is out of range");
        }
        return history.page(caller.userId(), before, limit).map(rows -> CallHistory.newBuilder().addAllCalls(rows).build());
    }

    /** Device events are published: every calls instance sees each; the store's scripts let one of them act. */
    Future<Void> onDeviceEvent(DeviceEvent event) {
        UUID user = Ids.uuid(event.getDevice().getUserId(), "user_id");
        int device = event.getDevice().getDeviceId();
        return switch (event.getKind()) {
            case CONNECTED -> callOf(user).compose(call -> call.isEmpty() || call.get().group() ? Future.succeededFuture()
                    : direct.connected(user, device, event.getConnectionId(), call.get()));
            case DISCONNECTED -> store.callOf(user).compose(call -> call.isEmpty() ? Future.succeededFuture()
                    : store.noteDisconnect(new CallStore.Disconnect(call.get(), user, device, event.getConnectionId()),
                            clock.millis() + config.reconnectGrace().toMillis()));
            case REMOVED -> gone(user, device);
            default -> Future.succeededFuture();
        };
    }

    private Future<Void> gone(UUID user, int device) {
        return callOf(user).compose(call -> call.isEmpty() ? Future.succeededFuture()
                : call.get().group() ? groups.gone(user, device, call.get()) : direct.gone(user, device, call.get()));
    }

    private Future<Optional<Call>> callOf(UUID user) {
        return store.callOf(user).compose(id -> id.isEmpty() ? Future.succeededFuture(Optional.empty()) : store.get(id.get()));
    }

    /**
     * Ends (or leaves) the calls of devices that disconnected and were not back within the grace:
     * back means the device's route names a newer connection. Returns how many calls it ended or left.
     */
    Future<Integer> sweepDisconnects() {
        return store.dueDisconnects(clock.millis(), SWEEP_BATCH).compose(due -> {
            List<Future<Boolean>> each = new ArrayList<>(due.size());
            for (CallStore.Disconnect d : due) {
                each.add(store.claimDisconnect(d).compose(mine -> !mine ? Future.succeededFuture(false)
                        : routes.lookup(d.user(), d.device()).compose(route -> backOnANewConnection(route, d.connectionId())
                                ? Future.succeededFuture(false)
                                : store.get(d.call()).compose(call -> call.isEmpty() ? Future.succeededFuture(false)
                                        : (call.get().group() ? groups.gone(d.user(), d.device(), call.get())
                                                : direct.gone(d.user(), d.device(), call.get())).map(true)))));
            }
            return Future.join(each).map(all -> (int) each.stream().filter(f -> f.succeeded() && f.result()).count());
        });
    }

    /** The device connected again since (its route names another connection than the one that dropped). */
    private static boolean backOnANewConnection(Optional<DeviceRoutes.Route> route, String droppedConnection) {
        return route.isPresent() && !droppedConnection.isEmpty() && !route.get().connectionId().equals(droppedConnection);
    }

    /** Deletes history past its retention; returns how many rows. */
    Future<Integer> sweepHistory(java.time.Duration retention) {
        return history.sweep(clock.millis() - retention.toMillis());
    }
}
