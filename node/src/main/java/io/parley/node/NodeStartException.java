package io.parley.node;

/** The node cannot start; the message says why in words an operator can act on. */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
        super(message);
    }

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
