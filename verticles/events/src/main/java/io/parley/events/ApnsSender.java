package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;

/**
 * Apple Push Notification service over HTTP/2 with token authentication: an ES256 JWT from the
 * team's .p8 key (renewed every {@link #TOKEN_LIFE_MS}), a background push
 * ({@code content-available}) to {@code /3/device/TOKEN}, collapsed per device.
 */
final class ApnsSender implements PushSender {
    private static final long TOKEN_LIFE_MS = 50 * 60_000;
    private static final String BODY = new JsonObject().put("aps", new JsonObject().put("content-available", 1))
            .put("kind", "wake").encode();

    private final HttpClient http;
    private final EventsConfig.Apns config;
    private final PrivateKey key;
    private final Duration messageTtl;
    private final Duration timeout;
    private String jwt;
    private long jwtIssuedMs;

    ApnsSender(HttpClient http, EventsConfig.Apns config, PrivateKey key, Duration messageTtl, Duration timeout) {
        this.http = http;
        this.config = config;
        this.key = key;
        this.messageTtl = messageTtl;
        this.timeout = timeout;
    }

    @Override
    public Future<Outcome> wake(Subscription s) {
        String token;
        try {
            token = jwt();
        } catch (GeneralSecurityException e) {
            return Future.failedFuture(e);
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.baseUrl() + "/3/device/" + s.token()).setTimeout(timeout.toMillis())
                .putHeader("authorization", "bearer " + token)
                .putHeader("apns-topic", config.topic())
                .putHeader("apns-push-type", "background")
                .putHeader("apns-priority", "5")
                .putHeader("apns-collapse-id", COLLAPSE_KEY)
                .putHeader("apns-expiration", String.valueOf(System.currentTimeMillis() / 1000 + messageTtl.toSeconds()));
        return http.request(request).compose(r -> r.send(Buffer.buffer(BODY))).compose(response -> response.body()
                .map(body -> response.statusCode() == 400 && body.toString().contains("BadDeviceToken") ? Outcome.GONE
                        : PushSender.outcomeOf(response.statusCode())));
    }

    private String jwt() throws GeneralSecurityException {
        long now = System.currentTimeMillis();
        if (jwt == null || now - jwtIssuedMs > TOKEN_LIFE_MS) {
            jwt = Jwts.sign(new JsonObject().put("alg", "ES256").put("kid", config.keyId()),
                    new JsonObject().put("iss", config.teamId()).put("iat", now / 1000), key);
            jwtIssuedMs = now;
        }
        return jwt;
    }
}
