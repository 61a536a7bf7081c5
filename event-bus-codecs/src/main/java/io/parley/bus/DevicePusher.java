package io.parley.bus;

import io.parley.proto.DeviceRef;
import io.parley.proto.Evict;
import io.parley.proto.NodePush;
import io.parley.proto.Push;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Pushes to devices from any verticle on any node: looks up each device's route and sends to the
 * owning node's address, fire-and-forget. A device that is not connected gets nothing here; what
 * must reach it waits in its inbox.
 */
public final class DevicePusher {
    private final Vertx vertx;
    private final DeviceRoutes routes;

    public DevicePusher(Vertx vertx, DeviceRoutes routes) {
        this.vertx = vertx;
        this.routes = routes;
    }

    public static DeviceRef ref(UUID userId, int deviceId) {
        return DeviceRef.newBuilder().setUserId(Ids.bytes(userId)).setDeviceId(deviceId).build();
    }

    /** Sends the push to whichever of these devices are connected; completes with how many were routed. */
    public Future<Integer> push(List<DeviceRef> devices, Push push) {
        return routes.lookup(devices).map(found -> {
            int routed = 0;
            for (int i = 0; i < devices.size(); i++) {
                Optional<DeviceRoutes.Route> route = found.get(i);
                if (route.isPresent()) {
                    vertx.eventBus().send(Addresses.node(route.get().nodeId()),
                            NodePush.newBuilder().setDevice(devices.get(i)).setPush(push).build());
                    routed++;
                }
            }
            return routed;
        });
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
