package io.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.parley.proto.ClientFrame;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.ServerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A SockJS client as a browser's sockjs-client would speak it, over either the websocket transport
 * or the xhr-streaming transport (HTTP streaming down, POST up), carrying protobuf JSON frames.
 */
final class SockJsClient {
    private static final String BASE = "/v1/sockjs/000/";
    final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    private final Consumer<String> sender;
    private final StringBuilder stream = new StringBuilder();
    private volatile boolean open;
    private volatile Short closeCode;
    private Runnable closer = () -> { };

    private SockJsClient(Consumer<String> sender) {
        this.sender = sender;
    }

    static SockJsClient websocket(Vertx vertx, int port) {
        String session = UUID.randomUUID().toString().replace("-", "");
        WebSocket[] socket = new WebSocket[1];
        SockJsClient client = new SockJsClient(text -> socket[0].writeTextMessage(text));
        // The handler is set on the event loop as the socket opens, before SockJS's "o" frame can be read.
        socket[0] = Await.result(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(port).setURI(BASE + session + "/websocket"))
                .map(ws -> ws.textMessageHandler(client::onSockJsFrame).closeHandler(v -> {
                    if (client.closeCode == null) {
                        client.closeCode = ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode();
                    }
                    client.open = false;
                })));
        Await.until(() -> client.open, "the SockJS session to open");
        client.closer = () -> Await.result(socket[0].close());
        return client;
    }

    static SockJsClient xhrStreaming(Vertx vertx, int port) {
        String session = UUID.randomUUID().toString().replace("-", "");
        HttpClient http = vertx.createHttpClient();
        SockJsClient[] holder = new SockJsClient[1];
        holder[0] = new SockJsClient(text -> Await.result(http.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(port).setURI(BASE + session + "/xhr_send"))
                .compose(r -> r.send(text)).map(response -> {
                    if (response.statusCode() != 204) {
                        throw new AssertionError("xhr_send answered " + response.statusCode());
                    }
                    return response;
                })));
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI(BASE + session + "/xhr_streaming"))
                // The handler is set in the callback that gets the response: Vert.x drops body chunks
                // that arrive before one is set (see AccountsApi).
                .compose(r -> r.send().andThen(sent -> {
                    if (sent.succeeded()) {
                        sent.result().handler(holder[0]::onStreamChunk);
                    }
                }));
        Await.until(() -> holder[0].open, "the SockJS streaming session to open");
        return holder[0];
    }

    private synchronized void onStreamChunk(Buffer chunk) {
        stream.append(chunk.toString());
        int newline;
        while ((newline = stream.indexOf("\n")) >= 0) {
            String line = stream.substring(0, newline);
            stream.delete(0, newline + 1);
            if (!line.chars().allMatch(c -> c == 'h')) {
                onSockJsFrame(line);
            }
        }
    }

    /** "o" open, "h" heartbeat, "a[...]" messages, "c[code,reason]" close. */
    private void onSockJsFrame(String frame) {
        if (frame.equals("o")) {
            open = true;
        } else if (frame.startsWith("c")) {
            closeCode = new JsonArray(frame.substring(1)).getInteger(0).shortValue();
            open = false;
        } else if (frame.startsWith("a")) {
            for (Object message : new JsonArray(frame.substring(1))) {
                ServerFrame.Builder parsed = ServerFrame.newBuilder();
                try {
                    JsonFormat.parser().merge((String) message, parsed);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("server sent a frame that is not protobuf JSON: " + message, e);
                }
                frames.add(parsed.build());
            }
        }
    }

    boolean isOpen() {
        return open;
    }

    /** Closes the session's socket (the websocket transport) and waits until it is closed. */
    void close() {
        closer.run();
    }

    /** The SockJS close frame's code (or the socket's), once closed. */
    Short closeCode() {
        Await.until(() -> closeCode != null, "the SockJS session to close");
        return closeCode;
    }

    void sendRaw(String message) {
        sender.accept(new JsonArray().add(message).encode());
    }

    Response request(Request request) {
        try {
            sendRaw(JsonFormat.printer().print(ClientFrame.newBuilder().setRequest(request).build()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        return nextResponse();
    }

    Response nextResponse() {
        return next(ServerFrame::hasResponse).getResponse();
    }

    ServerFrame next(java.util.function.Predicate<ServerFrame> wanted) {
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ServerFrame frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && wanted.test(frame)) {
                    return frame;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no matching frame within " + Await.DEFAULT);
    }
}
