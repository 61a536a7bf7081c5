package io.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.parley.proto.Authenticate;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.ServerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket to /v1/ws that sends any bytes a test likes and collects what comes back. */
final class RawSocket {
    final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private volatile Short closeCode;

    private RawSocket(WebSocket socket) {
        this.socket = socket;
        socket.binaryMessageHandler(bytes -> {
            try {
                frames.add(ServerFrame.parseFrom(bytes.getBytes()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        });
        socket.closeHandler(v -> closeCode = socket.closeStatusCode());
    }

    static RawSocket open(Vertx vertx, int port, String localAddress) {
        WebSocketClientOptions options = new WebSocketClientOptions().setMaxFrameSize(8 << 20).setMaxMessageSize(8 << 20);
        if (localAddress != null) {
            options.setLocalAddress(localAddress);
        }
        return new RawSocket(Await.result(vertx.createWebSocketClient(options)
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/v1/ws"))));
    }

    static RawSocket open(Vertx vertx) {
        return open(vertx, TestNode.get().httpPort(), null);
    }

    void sendBytes(byte[] bytes) {
        Await.result(socket.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    /** Writes without waiting for the write to finish: for floods. */
    void sendBytesAsync(byte[] bytes) {
        socket.writeBinaryMessage(Buffer.buffer(bytes));
    }

    void send(Request request) {
        sendBytes(ClientFrame.newBuilder().setRequest(request).build().toByteArray());
    }

    Response authenticate(DeviceCredentials credentials) {
        send(Request.newBuilder().setId(1).setAuthenticate(Authenticate.newBuilder().setUserId(credentials.getUserId())
                .setDeviceId(credentials.getDeviceId()).setPassword(credentials.getPassword())).build());
        return nextResponse();
    }

    Response request(Request request) {
        send(request);
        return nextResponse();
    }

    /** The next response (pushes in between are skipped). */
    Response nextResponse() {
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ServerFrame frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && frame.hasResponse()) {
                    return frame.getResponse();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no response within " + Await.DEFAULT);
    }

    Short awaitClose() {
        Await.until(() -> closeCode != null, "the socket to close");
        return closeCode;
    }

    /** Closes the socket and waits for the close handshake (or its time-out). */
    void close() {
        Await.result(socket.close());
    }

    boolean isOpen() {
        return !socket.isClosed();
    }
}
