package io.parley.bus;

import io.parley.proto.DeviceRef;
import io.parley.proto.Envelope;
import io.parley.proto.Evict;
import io.parley.proto.NodePush;
import io.parley.proto.OfflineDevices;
import io.parley.proto.Push;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Pushes to devices from any verticle on any node: looks up each device's route and sends to the
 * owning node's address, fire-and-forget. A device that is not connected gets nothing here; what
 * must reach it waits in its inbox. Route look-ups may complete out of order (pooled Redis
 * connections), so pushes are handed to the bus in the order they were asked for: two messages
 * pushed one after the other reach a device in that order. Look-ups asked for in one turn of the
 * event loop (the sends of one committed batch) leave as one {@code MGET}. New messages for devices
 * without a connection are reported to the events verticle, which wakes them by push.
 */
public final class DevicePusher {
    private final Vertx vertx;
    private final DeviceRoutes routes;
    private final java.util.ArrayDeque<Future<Runnable>> inOrder = new java.util.ArrayDeque<>();
    private List<PendingLookup> pendingLookups = new java.util.ArrayList<>();
    private final io.micrometer.core.instrument.Counter live;
    private final io.micrometer.core.instrument.Counter offline;

    public DevicePusher(Vertx vertx, DeviceRoutes routes) {
        this.vertx = vertx;
        this.routes = routes;
        io.micrometer.core.instrument.MeterRegistry registry = Meters.of(vertx);
        this.live = io.micrometer.core.instrument.Counter.builder("parley.deliveries").tag("to", "connected")
                .description("pushes routed to devices: to connected devices, or left in the inbox of offline ones")
                .register(registry);
        this.offline = io.micrometer.core.instrument.Counter.builder("parley.deliveries").tag("to", "offline")
                .description("pushes routed to devices: to connected devices, or left in the inbox of offline ones")
                .register(registry);
    }

    public static DeviceRef ref(UUID userId, int deviceId) {
        return DeviceRef.newBuilder().setUserId(Ids.bytes(userId)).setDeviceId(deviceId).build();
    }

    /** Sends the push to whichever of these devices are connected; completes with how many were routed. */
    public Future<Integer> push(List<DeviceRef> devices, Push push) {
        return pushEach(devices, java.util.Collections.nCopies(devices.size(), push));
    }

    /**
     * Sends pushes.get(i) to devices.get(i), for each connected device, with one route look-up in all.
     * Call it from one context (the owning verticle's), as the ordering relies on it.
     */
    public Future<Integer> pushEach(List<DeviceRef> devices, List<Push> pushes) {
        io.vertx.core.Promise<Integer> routed = io.vertx.core.Promise.promise();
        Future<Runnable> send = lookup(devices).map(found -> () -> {
            int count = 0;
            OfflineDevices.Builder offline = null;
            for (int i = 0; i < devices.size(); i++) {
                Optional<DeviceRoutes.Route> route = found.get(i);
                if (route.isPresent()) {
                    vertx.eventBus().send(Addresses.node(route.get().nodeId()),
                            NodePush.newBuilder().setDevice(devices.get(i)).setPush(pushes.get(i)).build());
                    count++;
                } else if (wakes(pushes.get(i))) {
                    offline = offline == null ? OfflineDevices.newBuilder() : offline;
                    offline.addDevices(devices.get(i));
                }
            }
            live.increment(count);
            this.offline.increment(devices.size() - count);
            if (offline != null) {
                // Fire-and-forget to one events verticle, which may wake these devices by push.
                vertx.eventBus().send(Addresses.EVENTS_OFFLINE, offline.build());
            }
            routed.complete(count);
        });
        send.onFailure(routed::tryFail);
        inOrder.add(send);
        send.onComplete(done -> drain());
        return routed.future();
    }

    private record PendingLookup(List<DeviceRef> devices, io.vertx.core.Promise<List<Optional<DeviceRoutes.Route>>> found) {
    }

    /**
     * The routes of these devices, looked up together with every other look-up asked for in this
     * turn of the event loop. Off an event loop (no current context) it is a look-up of its own.
     */
    private Future<List<Optional<DeviceRoutes.Route>>> lookup(List<DeviceRef> devices) {
        io.vertx.core.Context context = Vertx.currentContext();
        if (context == null) {
            return routes.lookup(devices);
        }
        io.vertx.core.Promise<List<Optional<DeviceRoutes.Route>>> found = io.vertx.core.Promise.promise();
        if (pendingLookups.isEmpty()) {
            context.runOnContext(v -> flushLookups());
        }
        pendingLookups.add(new PendingLookup(devices, found));
        return found.future();
    }

    private void flushLookups() {
        List<PendingLookup> batch = pendingLookups;
        pendingLookups = new java.util.ArrayList<>();
        List<DeviceRef> all = new java.util.ArrayList<>();
        batch.forEach(b -> all.addAll(b.devices()));
        Future<List<Optional<DeviceRoutes.Route>>> together;
        try {
            together = routes.lookup(all);
        } catch (RuntimeException badRef) {
            // One push's device is malformed: it alone fails, the others are looked up on their own.
            batch.forEach(b -> lookupAlone(b.devices()).onComplete(b.found()));
            return;
        }
        together.onComplete(done -> {
            int at = 0;
            for (PendingLookup b : batch) {
                if (done.failed()) {
                    b.found().fail(done.cause());
                } else {
                    b.found().complete(done.result().subList(at, at + b.devices().size()));
                }
                at += b.devices().size();
            }
        });
    }

    private Future<List<Optional<DeviceRoutes.Route>>> lookupAlone(List<DeviceRef> devices) {
        try {
            return routes.lookup(devices);
        } catch (RuntimeException badRef) {
            return Future.failedFuture(badRef);
        }
    }

    /** A new message (not a receipt, notice, edit or delete) is worth waking an offline device for. */
    private static boolean wakes(Push push) {
        return push.hasEnvelope() && push.getEnvelope().getKind() == Envelope.Kind.MESSAGE;
    }

    /** Runs the sends whose look-ups are done, oldest first, stopping at the first still waiting. */
    private void drain() {
        while (!inOrder.isEmpty() && inOrder.peek().isComplete()) {
            Future<Runnable> head = inOrder.poll();
            if (head.succeeded()) {
                head.result().run();
            }
        }
    }

    public Future<Integer> push(UUID userId, int deviceId, Push push) {
        return push(List.of(ref(userId, deviceId)), push);
    }

    /** Closes the device's connection wherever it is, with a WebSocket close code and reason. */
    public Future<Void> evict(UUID userId, int deviceId, int closeCode, String reason) {
        return routes.lookup(userId, deviceId).map(route -> {
            route.ifPresent(r -> vertx.eventBus().send(Addresses.node(r.nodeId()), Evict.newBuilder()
                    .setDevice(ref(userId, deviceId)).setConnectionId(r.connectionId())
                    .setCloseCode(closeCode).setReason(reason).build()));
            return null;
        });
    }
}
