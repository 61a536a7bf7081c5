package io.parley.sessions;

import io.parley.bus.BusKey;
import io.parley.bus.DeviceRoutes;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * What every session of one edge instance shares: configuration, routes, limits, this node's
 * devices, and the key that signs the callers it stamps on bus requests.
 */
record Edge(Vertx vertx, EdgeConfig config, DeviceRoutes routes, RateLimiter limiter, LocalDevices devices,
        Set<DeviceSession> sessions, BusKey busKey) {
}
