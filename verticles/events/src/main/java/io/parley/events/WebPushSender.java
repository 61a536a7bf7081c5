package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and an encrypted payload (RFC 8291): POSTs the wake
 * to the subscription's endpoint, urgent, with a TTL and the collapse Topic.
 */
final class WebPushSender implements PushSender {
    private final WebClient http;
    private final Vapid vapid;
    private final Duration messageTtl;
    private final Duration timeout;

    WebPushSender(WebClient http, Vapid vapid, Duration messageTtl, Duration timeout) {
        this.http = http;
        this.vapid = vapid;
        this.messageTtl = messageTtl;
        this.timeout = timeout;
    }

    @Override
    public Future<Outcome> wake(Subscription s) {
        byte[] body;
        String authorization;
        try {
            body = WebPushCrypto.encrypt(s.p256dh(), s.auth(), WAKE.getBytes(StandardCharsets.UTF_8));
            authorization = vapid.authorization(s.endpoint(), System.currentTimeMillis());
        } catch (GeneralSecurityException e) {
            return Future.failedFuture(e);
        }
        return http.postAbs(s.endpoint()).timeout(timeout.toMillis())
                .putHeader("TTL", String.valueOf(messageTtl.toSeconds()))
                .putHeader("Content-Encoding", "aes128gcm")
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Urgency", "high")
                .putHeader("Topic", COLLAPSE_KEY)
                .putHeader("Authorization", authorization)
                .sendBuffer(Buffer.buffer(body))
                .map(response -> PushSender.outcomeOf(response.statusCode()));
    }
}
