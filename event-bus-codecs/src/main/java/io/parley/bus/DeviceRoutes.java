package io.parley.bus;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where each connected device's socket lives: a Redis key per device holding "nodeId/connectionId",
 * written by the edge on connect, refreshed by heartbeats, removed on disconnect (only by the
 * connection that wrote it). Read by anyone who pushes to a device.
 */
public final class DeviceRoutes {
    /** A route outlives a silent node by at most this long; the edge refreshes it well before. */
    public static final int ROUTE_TTL_SECONDS = 600;
    private static final String DELETE_IF_OWNED =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private static final String SET_IF_ABSENT_OR_OWNED = "local v = redis.call('GET', KEYS[1]) "
            + "if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end "
            + "return 0";

    private final Redis redis;

    public DeviceRoutes(Redis redis) {
        this.redis = redis;
    }

    public record Route(String nodeId, String connectionId) {
        static Optional<Route> parse(Response value) {
            if (value == null) {
                return Optional.empty();
            }
            String text = value.toString();
            int slash = text.indexOf('/');
            return slash < 0 ? Optional.empty() : Optional.of(new Route(text.substring(0, slash), text.substring(slash + 1)));
        }

        String encoded() {
            return nodeId + "/" + connectionId;
        }
    }

    static String key(UUID userId, int deviceId) {
        return "parley:route:" + userId + ":" + deviceId;
    }

    /** Records the route and returns the one it replaced, if any (a connection to evict). */
    public Future<Optional<Route>> bind(UUID userId, int deviceId, Route route) {
        return redis.send(Request.cmd(Command.SET).arg(key(userId, deviceId)).arg(route.encoded())
                        .arg("EX").arg(ROUTE_TTL_SECONDS).arg("GET"))
                .map(Route::parse);
    }

    /**
     * Extends the route's life, or writes it again if it is gone (it expired, or Redis lost it);
     * does nothing when another connection owns it now.
     */
    public Future<Void> refresh(UUID userId, int deviceId, Route route) {
        return redis.send(Request.cmd(Command.EVAL).arg(SET_IF_ABSENT_OR_OWNED).arg(1).arg(key(userId, deviceId))
                .arg(route.encoded()).arg(ROUTE_TTL_SECONDS)).mapEmpty();
    }

    /** Removes the route only if this connection still owns it. */
    public Future<Void> unbind(UUID userId, int deviceId, Route route) {
        return redis.send(Request.cmd(Command.EVAL).arg(DELETE_IF_OWNED).arg(1).arg(key(userId, deviceId))
                .arg(route.encoded())).mapEmpty();
    }

    public Future<Optional<Route>> lookup(UUID userId, int deviceId) {
        return redis.send(Request.cmd(Command.GET).arg(key(userId, deviceId))).map(Route::parse);
    }

    /** Routes of many devices in one round trip, in the order asked (empty where not connected). */
    public Future<List<Optional<Route>>> lookup(List<io.parley.proto.DeviceRef> devices) {
        if (devices.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Request mget = Request.cmd(Command.MGET);
        for (io.parley.proto.DeviceRef d : devices) {
            mget.arg(key(Ids.uuid(d.getUserId(), "user_id"), d.getDeviceId()));
        }
        return redis.send(mget).map(values -> {
            List<Optional<Route>> routes = new ArrayList<>(devices.size());
            for (int i = 0; i < devices.size(); i++) {
                routes.add(Route.parse(values.get(i)));
            }
            return routes;
        });
    }
}
