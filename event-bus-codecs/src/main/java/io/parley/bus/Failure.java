package io.parley.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes of Parley, the only ones a service replies with and a client sees.
 * They follow HTTP's meanings so that the same code reads the same on the bus, the socket and HTTP.
 */
public enum Failure {
    BAD_REQUEST(400, "the request is malformed, or a field is missing or out of range"),
    UNAUTHORIZED(401, "no valid credential: unknown, wrong or revoked"),
    FORBIDDEN(403, "the caller is known but may not do this (blocked, not a member, not an admin)"),
    NOT_FOUND(404, "the user, device, group or object does not exist"),
    CONFLICT(409, "the request contradicts the current state (stale device list, limit reached, window passed)"),
    GONE(410, "the object existed but no longer does (expired or used code, removed device)"),
    TOO_LARGE(413, "the frame, payload or upload is over its size limit"),
    RATE_LIMITED(429, "too many requests: slow down and retry later"),
    UNAVAILABLE(503, "a service or store is unreachable for now: retry later");

    private final int code;
    private final String meaning;

    Failure(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The exception to fail a future with; it crosses the clustered bus as code and message. */
    public ReplyException exception(String message) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
    }

    public static Failure ofCode(int code) {
        for (Failure f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return UNAVAILABLE;
    }

    /**
     * The one mapper from any failure to a Parley code: bus time-outs and missing handlers are 503,
     * a recipient's failure keeps its code, anything unexpected is a 503 (logged where handled).
     */
    public static int codeOf(Throwable failure) {
        if (failure instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case TIMEOUT, NO_HANDLERS -> UNAVAILABLE.code;
                case RECIPIENT_FAILURE, ERROR -> ofCode(reply.failureCode()).code;
            };
        }
        return UNAVAILABLE.code;
    }

    /** The message a client may see for this failure: the service's words for a known code. */
    public static String messageOf(Throwable failure) {
        if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return reply.getMessage();
        }
        return UNAVAILABLE.meaning;
    }
}
