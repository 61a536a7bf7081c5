package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;

/**
 * Firebase Cloud Messaging HTTP v1: exchanges a JWT signed with the service account's key for an
 * OAuth access token (cached until shortly before it expires), then sends a high-priority data
 * message with the wake and the collapse key to the device's registration token.
 */
final class FcmSender implements PushSender {
    private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final long TOKEN_MARGIN_MS = 60_000;
    private static final long ASSERTION_LIFE_S = 3600;

    private final WebClient http;
    private final String sendUrl;
    private final String clientEmail;
    private final String tokenUri;
    private final PrivateKey key;
    private final Duration messageTtl;
    private final Duration timeout;
    private String accessToken;
    private long accessTokenExpiresMs;

    FcmSender(WebClient http, EventsConfig.Fcm config, JsonObject serviceAccount, Duration messageTtl, Duration timeout)
            throws GeneralSecurityException {
        this.http = http;
        this.sendUrl = config.baseUrl() + "/v1/projects/" + config.projectId() + "/messages:send";
        this.clientEmail = serviceAccount.getString("client_email", "");
        this.tokenUri = serviceAccount.getString("token_uri", "https://oauth2.googleapis.com/token");
        this.key = Jwts.privateKey(serviceAccount.getString("private_key", ""), "RSA");
        this.messageTtl = messageTtl;
        this.timeout = timeout;
    }

    @Override
    public Future<Outcome> wake(Subscription s) {
        JsonObject message = new JsonObject().put("message", new JsonObject().put("token", s.token())
                .put("data", new JsonObject(WAKE))
                .put("android", new JsonObject().put("priority", "HIGH").put("collapse_key", COLLAPSE_KEY)
                        .put("ttl", messageTtl.toSeconds() + "s")));
        return accessToken().compose(token -> http.postAbs(sendUrl).timeout(timeout.toMillis())
                .bearerTokenAuthentication(token).sendJsonObject(message)
                .map(response -> response.statusCode() == 400 && response.bodyAsString() != null
                        && response.bodyAsString().contains("UNREGISTERED") ? Outcome.GONE
                        : PushSender.outcomeOf(response.statusCode())));
    }

    private Future<String> accessToken() {
        long now = System.currentTimeMillis();
        if (accessToken != null && now < accessTokenExpiresMs - TOKEN_MARGIN_MS) {
            return Future.succeededFuture(accessToken);
        }
        String assertion;
        try {
            assertion = Jwts.sign(new JsonObject().put("alg", "RS256").put("typ", "JWT"), new JsonObject()
                    .put("iss", clientEmail).put("scope", SCOPE).put("aud", tokenUri)
                    .put("iat", now / 1000).put("exp", now / 1000 + ASSERTION_LIFE_S), key);
        } catch (GeneralSecurityException e) {
            return Future.failedFuture(e);
        }
        io.vertx.core.MultiMap form = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").add("assertion", assertion);
        return http.postAbs(tokenUri).timeout(timeout.toMillis()).sendForm(form).compose(response -> {
            if (response.statusCode() != 200) {
                return Future.failedFuture("FCM token endpoint answered " + response.statusCode());
            }
            JsonObject body = response.bodyAsJsonObject();
            accessToken = body.getString("access_token");
            accessTokenExpiresMs = now + body.getLong("expires_in", 3600L) * 1000;
            return Future.succeededFuture(accessToken);
        });
    }
}
