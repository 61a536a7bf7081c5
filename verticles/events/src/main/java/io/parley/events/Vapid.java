package io.parley.events;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;

/**
 * Voluntary application server identification (RFC 8292): a short-lived ES256 JWT for the push
 * service's origin, signed with the installation's VAPID key, sent as
 * {@code Authorization: vapid t=JWT, k=PUBLIC_KEY}.
 */
final class Vapid {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Duration TOKEN_LIFE = Duration.ofHours(12);

    private final KeyPair keys;
    private final String subject;
    private final byte[] publicKey;

    Vapid(KeyPair keys, String subject) {
        this.keys = keys;
        this.subject = subject;
        this.publicKey = WebPushCrypto.encode((ECPublicKey) keys.getPublic());
    }

    byte[] publicKey() {
        return publicKey;
    }

    /** The Authorization header value for a request to this endpoint, valid from {@code nowMs}. */
    String authorization(String endpoint, long nowMs) throws GeneralSecurityException {
        URI uri = URI.create(endpoint);
        String audience = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        String header = B64URL.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64URL.encodeToString(new JsonObject().put("aud", audience)
                .put("exp", (nowMs + TOKEN_LIFE.toMillis()) / 1000).put("sub", subject).encode()
                .getBytes(StandardCharsets.UTF_8));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initSign(keys.getPrivate());
        es256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String jwt = header + "." + claims + "." + B64URL.encodeToString(es256.sign());
        return "vapid t=" + jwt + ", k=" + B64URL.encodeToString(publicKey);
    }
}
