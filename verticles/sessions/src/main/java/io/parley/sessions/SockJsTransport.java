package io.parley.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.parley.proto.ClientFrame;
import io.parley.proto.ServerFrame;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.nio.charset.StandardCharsets;

/** /v1/sockjs: each SockJS message is one frame in canonical protobuf JSON. */
final class SockJsTransport implements Transport {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final SockJSSocket socket;
    private boolean closed;

    SockJsTransport(SockJSSocket socket, int writeQueueMaxBytes) {
        this.socket = socket;
        socket.setWriteQueueMaxSize(writeQueueMaxBytes);
    }

    @Override
    public ClientFrame parse(Object raw) {
        ClientFrame.Builder frame = ClientFrame.newBuilder();
        try {
            PARSER.merge(((Buffer) raw).toString(StandardCharsets.UTF_8), frame);
            return frame.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new MalformedFrameException("frame is not a ClientFrame in protobuf JSON: " + e.getMessage());
        }
    }

    @Override
    public int sizeOf(Object raw) {
        return ((Buffer) raw).length();
    }

    @Override
    public void send(ServerFrame frame) {
        try {
            socket.write(PRINTER.print(frame));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a server frame could not be printed as JSON", e);
        }
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close(int code, String reason) {
        closed = true;
        socket.close(code, reason);
    }

    @Override
    public String remoteAddress() {
        return socket.remoteAddress().hostAddress();
    }

    @Override
    public void frameHandler(Handler<Object> handler) {
        socket.handler(handler::handle);
    }

    @Override
    public void drainHandler(Handler<Void> handler) {
        socket.drainHandler(handler);
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
        socket.endHandler(v -> {
            closed = true;
            handler.handle(v);
        });
    }
}
