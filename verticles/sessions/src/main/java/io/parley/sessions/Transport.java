package io.parley.sessions;

import io.parley.proto.ClientFrame;
import io.parley.proto.ServerFrame;
import io.vertx.core.Handler;

/** One client connection's way of sending and receiving frames: WebSocket (binary) or SockJS (JSON). */
interface Transport {
    /** Parses one received frame; throws {@link MalformedFrameException} when it is not a frame. */
    ClientFrame parse(Object raw);

    /** Size in bytes of one received frame, before parsing. */
    int sizeOf(Object raw);

    void send(ServerFrame frame);

    boolean writeQueueFull();

    /** True once the socket closed, possibly before its close handler has run. */
    boolean isClosed();

    void close(int code, String reason);

    String remoteAddress();

    void frameHandler(Handler<Object> handler);

    void closeHandler(Handler<Void> handler);

    /** Called once when the write queue has room again. */
    void drainHandler(Handler<Void> handler);

    final class MalformedFrameException extends RuntimeException {
        MalformedFrameException(String message) {
            super(message);
        }
    }
}
