package io.parley.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a loopback socket, for what a library client would not do: stop mid-body and
 * cut the connection, send more than announced, read an early answer before sending a body.
 */
final class RawHttp implements AutoCloseable {
    private static final int TIMEOUT_MS = 20_000;

    /** A response: status, headers (lower-case names) and body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a request line and headers (and the blank line). */
    RawHttp head(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    RawHttp body(byte[] bytes, int from, int length) throws IOException {
        out.write(bytes, from, length);
        out.flush();
        return this;
    }

    /** Reads one response (Content-Length bodies; none for HEAD, 204 and 1xx). */
    Reply read(boolean headRequest) throws IOException {
        String status = line();
        Map<String, String> headers = new HashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = headRequest || code == 204 || code < 200 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Reply(code, headers, in.readNBytes(length));
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed before the response");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** One request with a full body and its response, on a new connection. */
    static Reply exchange(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            Map<String, String> all = new HashMap<>(headers);
            if (body != null) {
                all.put("Content-Length", String.valueOf(body.length));
            }
            http.head(method, path, all);
            if (body != null) {
                http.body(body, 0, body.length);
            }
            return http.read(method.equals("HEAD"));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
