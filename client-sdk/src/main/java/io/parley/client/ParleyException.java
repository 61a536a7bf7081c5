package io.parley.client;

import io.parley.proto.Error;

/** A request the server refused, with its Parley code (400, 401, 403, 404, 409, 410, 413, 429, 503). */
public final class ParleyException extends RuntimeException {
    private final Error error;

    public ParleyException(Error error) {
        super(error.getCode() + " " + error.getMessage());
        this.error = error;
    }

    public ParleyException(int code, String message) {
        this(Error.newBuilder().setCode(code).setMessage(message).build());
    }

    public int code() {
        return error.getCode();
    }

    public Error error() {
        return error;
    }
}
