package io.parley.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Read-only requests between services (relations, device lists, send checks), asked again once
 * when the first attempt got no answer: when a node dies, the clustered bus may still hand a
 * request to the dead node's consumer until Hazelcast has dropped its registrations, and the next
 * attempt goes to a live one. Only for requests that change nothing.
 */
public final class Lookups {
    private Lookups() {
    }

    public static <T> Future<T> request(EventBus bus, String address, Object body, long timeoutMs) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
        return bus.<T>request(address, body, options).map(reply -> reply.body()).recover(e -> {
            if (e instanceof ReplyException reply && (reply.failureType() == ReplyFailure.TIMEOUT
                    || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
                return bus.<T>request(address, body, options).map(again -> again.body());
            }
            return Future.failedFuture(e);
        });
    }
}
