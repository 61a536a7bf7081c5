package io.parley.sessions;

/**
 * What the edge needs to know: where to listen, which node it is, and its limits.
 *
 * @param maxFrameBytes   frames above this get a 413 response; four times this closes the socket
 * @param heartbeatSeconds how often clients are told to send a heartbeat
 * @param idleTimeoutSeconds a connection with no frame for this long is closed
 * @param authTimeoutSeconds a connection that has not authenticated by then is closed
 * @param writeQueueMaxBytes bytes buffered for a slow client before its socket is closed
 * @param requestTimeoutMs how long the edge waits for a service's reply (then 503)
 */
public record EdgeConfig(
        String host,
        int port,
        String nodeId,
        int maxFrameBytes,
        int heartbeatSeconds,
        int idleTimeoutSeconds,
        int authTimeoutSeconds,
        int writeQueueMaxBytes,
        long requestTimeoutMs,
        RateLimits rateLimits) {

    /** Token buckets: requests per user, and connects plus HTTP calls per IP address. */
    public record RateLimits(double userPerSecond, int userBurst, double ipPerSecond, int ipBurst) {
        public static RateLimits defaults() {
            return new RateLimits(100, 300, 50, 200);
        }
    }

    public static EdgeConfig defaults(String host, int port, String nodeId) {
        return new EdgeConfig(host, port, nodeId, 256 * 1024, 30, 90, 10, 1024 * 1024, 10_000, RateLimits.defaults());
    }

    int hardFrameLimit() {
        return maxFrameBytes * 4;
    }
}
