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
    public static final String SIGNATURE_HEADER = "parley-caller-signature";
    public static final int PRIMARY_DEVICE = 1;

    /** The caller stamped on a request; a request without a valid stamp, signed with this key, fails with 401. */
    public static Caller of(MultiMap headers, BusKey key) {
        String user = headers.get(USER_HEADER);
        String device = headers.get(DEVICE_HEADER);
        String signature = headers.get(SIGNATURE_HEADER);
        if (user == null || device == null) {
            throw Failure.UNAUTHORIZED.exception("request carries no authenticated identity");
        }
        Caller caller;
        try {
            caller = new Caller(UUID.fromString(user), Integer.parseInt(device));
        } catch (IllegalArgumentException e) {
            throw Failure.UNAUTHORIZED.exception("request carries a malformed identity");
        }
        if (signature == null || !key.verify(caller.userId, caller.deviceId, signature)) {
            throw Failure.UNAUTHORIZED.exception("request carries an identity no edge signed");
        }
        return caller;
    }

    /** Stamps this caller on a request, signed with the installation's key (the edge does this). */
    public DeliveryOptions stamp(DeliveryOptions options, BusKey key) {
        return options.addHeader(USER_HEADER, userId.toString()).addHeader(DEVICE_HEADER, String.valueOf(deviceId))
                .addHeader(SIGNATURE_HEADER, key.sign(userId, deviceId));
    }

    public boolean isPrimary() {
        return deviceId == PRIMARY_DEVICE;
    }
}
