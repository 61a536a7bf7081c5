package io.parley.sessions;

/** What the edge needs to know: where to listen. */
public record EdgeConfig(String host, int port) {
}
