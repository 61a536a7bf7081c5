package io.parley.events;

import java.util.UUID;

/** A device's push subscription: a Web Push endpoint with its keys, or an FCM or APNs token. */
record Subscription(UUID userId, int deviceId, Kind kind, String endpoint, byte[] p256dh, byte[] auth, String token) {

    /** Stored as its ordinal: append only. */
    enum Kind {
        WEB_PUSH, FCM, APNS
    }

    static Subscription webPush(UUID userId, int deviceId, String endpoint, byte[] p256dh, byte[] auth) {
        return new Subscription(userId, deviceId, Kind.WEB_PUSH, endpoint, p256dh, auth, "");
    }

    static Subscription token(UUID userId, int deviceId, Kind kind, String token) {
        return new Subscription(userId, deviceId, kind, "", new byte[0], new byte[0], token);
    }
}
