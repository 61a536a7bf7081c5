package io.parley.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.UUID;

/**
 * The authenticated user and device behind a bus request, stamped by the edge as headers.
 * Services take identity from here only, never from a payload.
 */
public record Caller(UUID userId, int deviceId) {
    public static final String USER_HEADER = "parley-user";
    public static final String DEVICE_HEADER = "parley-device";
    public static final int PRIMARY_DEVICE = 1;

    /** The caller stamped on a request; a request without a valid stamp fails with 401. */
    public static Caller of(MultiMap headers) {
        String user = headers.get(USER_HEADER);
        String device = headers.get(DEVICE_HEADER);
        if (user == null || device == null) {
            throw Failure.UNAUTHORIZED.exception("request carries no authenticated identity");
        }
        try {
            return new Caller(UUID.fromString(user), Integer.parseInt(device));
        } catch (IllegalArgumentException e) {
            throw Failure.UNAUTHORIZED.exception("request carries a malformed identity");
        }
    }

    public DeliveryOptions stamp(DeliveryOptions options) {
        return options.addHeader(USER_HEADER, userId.toString()).addHeader(DEVICE_HEADER, String.valueOf(deviceId));
    }

    public boolean isPrimary() {
        return deviceId == PRIMARY_DEVICE;
    }
}
