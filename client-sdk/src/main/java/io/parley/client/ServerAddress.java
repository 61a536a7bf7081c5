package io.parley.client;

import java.net.URI;

/** A Parley server's base URL (http://host:port) and the addresses derived from it. */
public record ServerAddress(String host, int port, boolean tls) {
    public static ServerAddress parse(String url) {
        URI uri = URI.create(url);
        boolean tls = "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme());
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("server must be a URL like http://localhost:8080, got " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
        return new ServerAddress(uri.getHost(), port, tls);
    }

    public String url() {
        return (tls ? "https" : "http") + "://" + host + ":" + port;
    }
}
