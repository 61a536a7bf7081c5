package io.parley.presence;

import io.parley.bus.Caller;
import io.parley.bus.DevicePusher;
import io.parley.bus.DeviceRoutes;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.bus.NodeLiveness;
import io.parley.proto.DeviceEvent;
import io.parley.proto.DeviceRef;
import io.parley.proto.PresenceUpdate;
import io.parley.proto.Push;
import io.parley.proto.SubscribePresenceRequest;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online and last seen: device events from the edge turn users online and offline, the sweep
 * renews the entries of devices still routed to a live node and turns the rest offline (a node that
 * died without a word; when the cluster says a node left, one pass goes over every entry at once),
 * and every change is pushed to the subscribed devices as each of them may see it.
 */
final class PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);
    private static final int SWEEP_BATCH = 500;
    private static final int SWEEP_PAGES = 200;
    /**
     * A change whose push failed (accounts' relation answer or a route look-up timed out, as when
     * a request went to a node that just died and the cluster has not yet said so) is pushed
     * again, with the state as it is by then, this many times at this interval.
     */
    private static final int PUSH_ATTEMPTS = 4;
    private static final long PUSH_RETRY_MS = 2_000;

    private final PresenceStore store;
    private final Relations relations;
    private final DeviceRoutes routes;
    private final NodeLiveness liveness;
    private final DevicePusher pusher;
    private final PresenceConfig config;
    private final Clock clock;
    private final io.vertx.core.Vertx vertx;
    private boolean sweeping;

    PresenceService(PresenceStore store, Relations relations, DeviceRoutes routes, NodeLiveness liveness,
            DevicePusher pusher, PresenceConfig config, Clock clock, io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.store = store;
        this.relations = relations;
        this.routes = routes;
        this.liveness = liveness;
        this.pusher = pusher;
        this.config = config;
        this.clock = clock;
    }

    /** A connect, disconnect or removal published by the edge or accounts. */
    Future<Void> onDeviceEvent(DeviceEvent event) {
        UUID user = Ids.uuid(event.getDevice().getUserId(), "user_id");
        int device = event.getDevice().getDeviceId();
        long now = clock.millis();
        return switch (event.getKind()) {
            case CONNECTED -> store.connect(user, device, now).compose(came -> came ? changed(user) : Future.succeededFuture());
            case DISCONNECTED -> routes.lookup(user, device).compose(route -> replacedElsewhere(route, event)
                    ? Future.succeededFuture() : goOffline(user, device, now, 0));
            case REMOVED -> goOffline(user, device, now, 0);
            default -> Future.succeededFuture();
        };
    }

    /** A disconnect of a connection the device has already replaced by another one: still online. */
    private static boolean replacedElsewhere(Optional<DeviceRoutes.Route> route, DeviceEvent event) {
        return route.isPresent() && !event.getConnectionId().isEmpty()
                && !route.get().connectionId().equals(event.getConnectionId());
    }

    private Future<Void> goOffline(UUID user, int device, long now, long expected) {
        return store.disconnect(user, device, now, expected).compose(went -> went ? changed(user) : Future.succeededFuture());
    }

    /**
     * Renews the online entries due before the next sweeps whose device still has a route, and
     * turns the others offline, page by page until none is due (at most {@link #SWEEP_PAGES} pages
     * per sweep; the rest waits for the next one). Returns how many went offline.
     */
    Future<Integer> sweep() {
        if (sweeping) {
            return Future.succeededFuture(0);
        }
        sweeping = true;
        long now = clock.millis();
        return store.claimSweep(config.sweepInterval().toMillis())
                .compose(mine -> mine ? sweepPage(now, now + config.sweepInterval().toMillis() * 2, 0, 0)
                        .compose(offline -> passDeparted().map(more -> offline + more))
                        : Future.succeededFuture(0))
                .onComplete(done -> sweeping = false);
    }

    /**
     * A node left the cluster: its devices' routes stay in Redis until they expire, so without this
     * its devices would look online for minutes. The node goes on a list of departed nodes in
     * Redis; one presence instance (the first to claim it) handles the list at once, and every
     * sweep handles whatever is still on it (a pass that failed is tried again).
     */
    Future<Integer> nodeLeft(String nodeId) {
        return liveness.forget(nodeId)
                .compose(v -> store.markDeparted(nodeId))
                .compose(v -> store.claimNodeLeft(nodeId))
                .compose(mine -> mine ? passDeparted() : Future.succeededFuture(0));
    }

    /**
     * One pass over every online entry, renewing those routed to live nodes (their new expiry falls
     * past the pass's horizon, so each page brings new ones) and turning the others offline; then
     * the departed nodes it was run for are taken off the list.
     */
    private Future<Integer> passDeparted() {
        return store.departed().compose(departed -> {
            if (departed.isEmpty()) {
                return Future.succeededFuture(0);
            }
            long now = clock.millis();
            return sweepPage(now, now + config.onlineTtl().toMillis() - 1, 0, 0)
                    .compose(offline -> store.settleDeparted(departed).map(offline));
        });
    }

    private Future<Integer> sweepPage(long now, long horizon, int page, int offline) {
        if (page == SWEEP_PAGES) {
            LOG.warn("presence sweep stopped after {} pages of {} entries; the rest waits", SWEEP_PAGES, SWEEP_BATCH);
            return Future.succeededFuture(offline);
        }
        return store.due(horizon, SWEEP_BATCH).compose(due -> {
            if (due.isEmpty()) {
                return Future.succeededFuture(offline);
            }
            List<DeviceRef> refs = due.stream().map(d -> DevicePusher.ref(d.userId(), d.deviceId())).toList();
            return routes.lookup(refs).compose(found -> liveNodes(found).compose(alive -> {
                List<Future<Boolean>> outcomes = new ArrayList<>(due.size());
                for (int i = 0; i < due.size(); i++) {
                    PresenceStore.Due d = due.get(i);
                    boolean routed = found.get(i).filter(r -> alive.contains(r.nodeId())).isPresent();
                    outcomes.add(routed ? store.renew(d.userId(), d.deviceId(), now).map(false)
                            : store.disconnect(d.userId(), d.deviceId(), now, d.expiresAt())
                                    .compose(went -> went ? changed(d.userId()).map(true) : settleRefused(d, now)));
                }
                return Future.join(outcomes).map(all -> (int) outcomes.stream().filter(Future::result).count());
            })).compose(went -> due.size() < SWEEP_BATCH ? Future.succeededFuture(offline + went)
                    : sweepPage(now, horizon, page + 1, offline + went));
        });
    }

    /**
     * After a guarded disconnect of the sweep that did not take the user offline: when the entry is
     * still there, the guard refused it because the entry's expiry is not the index's any more (a
     * connect or renewal raced the sweep: the two keys are written one after the other). The
     * route decides then: still on a node that is not alive, the device goes offline now; routed
     * to a live node (it connected again), it stays. Without this a dead node's device could stay
     * online until its entry expired, minutes later (seen in ClusterFailoverTest).
     */
    private Future<Boolean> settleRefused(PresenceStore.Due d, long now) {
        return store.present(d.userId(), d.deviceId()).compose(present -> !present ? Future.succeededFuture(false)
                : routes.lookup(d.userId(), d.deviceId()).compose(route -> route.isEmpty()
                        ? Future.succeededFuture(false)
                        : liveness.alive(java.util.Set.of(route.get().nodeId())).map(alive -> !alive.isEmpty()))
                .compose(routed -> routed ? Future.succeededFuture(false)
                        : store.disconnect(d.userId(), d.deviceId(), now, 0)
                                .compose(went -> went ? changed(d.userId()).map(true) : Future.succeededFuture(false))));
    }

    /** Which of the nodes these routes name are alive. */
    private Future<Set<String>> liveNodes(List<Optional<DeviceRoutes.Route>> found) {
        return liveness.alive(found.stream().flatMap(Optional::stream).map(DeviceRoutes.Route::nodeId)
                .collect(Collectors.toSet()));
    }

    Future<PresenceUpdate> subscribe(Caller caller, SubscribePresenceRequest request) {
        UUID target = Ids.uuid(request.getUserId(), "user_id");
        long now = clock.millis();
        return relations.view(caller.userId(), target).compose(view -> {
            if (!view.exists()) {
                return Future.failedFuture(Failure.NOT_FOUND.exception("no such user"));
            }
            return store.subscribe(target, caller.userId(), caller.deviceId(), now)
                    .compose(v -> store.state(target, now))
                    .map(state -> update(target, state, view, now));
        });
    }

    /**
     * Tells every device subscribed to the user of its new state, as each subscriber may see it,
     * and tells nothing to subscribers on the other side of a block. Never fails.
     */
    private Future<Void> changed(UUID user) {
        return changed(user, 1);
    }

    private Future<Void> changed(UUID user, int attempt) {
        long now = clock.millis();
        Future<PresenceStore.State> state = store.state(user, now);
        Future<List<PresenceStore.Subscriber>> subscribers = store.subscribers(user, now, config.maxSubscribersPerChange());
        return Future.all(state, subscribers).compose(both -> {
            Map<UUID, List<PresenceStore.Subscriber>> byUser = new LinkedHashMap<>();
            subscribers.result().forEach(s -> byUser.computeIfAbsent(s.userId(), u -> new ArrayList<>()).add(s));
            List<Future<Integer>> pushes = new ArrayList<>(byUser.size());
            byUser.forEach((viewer, devices) -> pushes.add(relations.view(viewer, user).compose(view -> {
                if (view.blocked()) {
                    // Not even a blank update: its timing would tell when the user comes and goes.
                    return Future.succeededFuture(0);
                }
                Push push = Push.newBuilder().setPresence(update(user, state.result(), view, now)).build();
                return pusher.push(devices.stream().map(d -> DevicePusher.ref(d.userId(), d.deviceId())).toList(), push);
            })));
            return Future.join(pushes).<Void>mapEmpty();
        }).recover(e -> {
            if (attempt < PUSH_ATTEMPTS) {
                LOG.info("presence change not pushed yet [user: {}, attempt: {}]: {}", user, attempt, e.getMessage());
                vertx.setTimer(PUSH_RETRY_MS, t -> changed(user, attempt + 1));
            } else {
                // The change itself is stored; subscribers see it at their next subscribe.
                LOG.warn("presence change not pushed [user: {}]: {}", user, e.getMessage());
            }
            return Future.succeededFuture();
        });
    }

    /**
     * The state as this viewer may see it: nothing (offline, last seen 0) across a block in either
     * direction; online as is; last seen only when the user's privacy lets the viewer see it, and
     * while online it is now.
     */
    private static PresenceUpdate update(UUID user, PresenceStore.State state, Relations.View view, long now) {
        PresenceUpdate.Builder update = PresenceUpdate.newBuilder().setUserId(Ids.bytes(user));
        if (view.blocked()) {
            return update.build();
        }
        update.setOnline(state.online());
        if (view.lastSeenVisible()) {
            update.setLastSeenMs(state.online() ? now : state.lastSeenMs());
        }
        return update.build();
    }
}
