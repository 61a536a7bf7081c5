package io.parley.events;

import io.vertx.core.Future;

/**
 * One push service: sends a content-free wake to a subscription. The push services collapse
 * pending wakes for a device into one (Web Push Topic, FCM collapse_key, APNs apns-collapse-id).
 */
interface PushSender {
    /** The wake's payload: no content, no sender, nothing but "there is something for you". */
    String WAKE = "{\"kind\":\"wake\"}";
    /** The collapse key the push services see: one pending wake per device. */
    String COLLAPSE_KEY = "parley-wake";

    enum Outcome {
        /** Accepted by the push service. */
        SENT,
        /** The service says the subscription no longer exists: forget it. */
        GONE,
        /** Refused or unreachable for now. */
        FAILED
    }

    Future<Outcome> wake(Subscription subscription);

    /** The outcome of an HTTP status from a push service: 2xx sent, 404/410 gone, anything else failed. */
    static Outcome outcomeOf(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.SENT;
        }
        return status == 404 || status == 410 ? Outcome.GONE : Outcome.FAILED;
    }
}
