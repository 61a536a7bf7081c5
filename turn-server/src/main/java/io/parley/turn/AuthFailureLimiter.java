package io.parley.turn;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications per source IP: past the configured number in one minute, that IP's
 * authenticated requests get 429 until the minute is over, so that passwords cannot be guessed quickly.
 * Windows are fixed per minute; the table forgets an IP when its window ends (swept by the server).
 */
final class AuthFailureLimiter {
    private static final long WINDOW_MILLIS = 60_000;

    private final int maxFailures;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();

    AuthFailureLimiter(int maxFailuresPerMinute) {
        this.maxFailures = maxFailuresPerMinute;
    }

    boolean blocked(InetAddress ip, long nowMillis) {
        Window window = windows.get(ip);
        return window != null && window.startedAt + WINDOW_MILLIS > nowMillis && window.failures >= maxFailures;
    }

    void failed(InetAddress ip, long nowMillis) {
        windows.compute(ip, (k, w) -> w == null || w.startedAt + WINDOW_MILLIS <= nowMillis
                ? new Window(nowMillis, 1) : new Window(w.startedAt, w.failures + 1));
    }

    void sweep(long nowMillis) {
        windows.values().removeIf(w -> w.startedAt + WINDOW_MILLIS <= nowMillis);
    }

    int trackedAddresses() {
        return windows.size();
    }

    private record Window(long startedAt, int failures) {
    }
}
