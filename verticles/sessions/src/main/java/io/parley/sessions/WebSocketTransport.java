package io.parley.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import io.parley.proto.ClientFrame;
import io.parley.proto.ServerFrame;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/** /v1/ws: each binary message is one protobuf frame. */
final class WebSocketTransport implements Transport {
    private final ServerWebSocket socket;

    WebSocketTransport(ServerWebSocket socket, int writeQueueMaxBytes) {
        this.socket = socket;
        socket.setWriteQueueMaxSize(writeQueueMaxBytes);
    }

    @Override
    public ClientFrame parse(Object raw) {
        try {
            return ClientFrame.parseFrom(((Buffer) raw).getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedFrameException("frame is not a protobuf ClientFrame: " + e.getMessage());
        }
    }

    @Override
    public int sizeOf(Object raw) {
        return ((Buffer) raw).length();
    }

    @Override
    public void send(ServerFrame frame) {
        socket.writeBinaryMessage(Buffer.buffer(frame.toByteArray()));
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close(int code, String reason) {
        socket.close((short) code, reason);
    }

    @Override
    public String remoteAddress() {
        return socket.remoteAddress().hostAddress();
    }

    @Override
    public void frameHandler(Handler<Object> handler) {
        socket.binaryMessageHandler(handler::handle);
        socket.textMessageHandler(text -> handler.handle(Buffer.buffer(text)));
    }

    @Override
    public void drainHandler(Handler<Void> handler) {
        socket.drainHandler(handler);
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
        socket.closeHandler(handler);
    }
}
