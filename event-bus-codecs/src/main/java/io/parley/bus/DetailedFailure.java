package io.parley.bus;

import io.parley.proto.Error;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with machine-readable detail (e.g. the device mismatches of a 409 send). Only code and
 * message of an exception cross the clustered bus, so {@link Rpc} replies with the {@link Error}
 * message itself and the edge turns it into the response's error.
 */
public final class DetailedFailure extends ReplyException {
    private final transient Error error;

    public DetailedFailure(Error error) {
        super(ReplyFailure.RECIPIENT_FAILURE, error.getCode(), error.getMessage());
        this.error = error;
    }

    public Error error() {
        return error;
    }
}
