package io.parley.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks media URLs: HMAC-SHA256 over the operation, blob id, expiry and size cap, so that
 * a URL names exactly one blob, one use (upload or download), one deadline and one size, and none of
 * them can be changed without the installation's key.
 */
final class UrlSigner {
    static final String UPLOAD = "upload";
    static final String DOWNLOAD = "download";

    private final SecretKeySpec key;

    UrlSigner(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The path and query of a signed URL: /v1/media/ID?op=..&exp=..&max=..&sig=.. */
    String path(String op, UUID blobId, long expiresAtMs, long maxBytes) {
        return "/v1/media/" + blobId + "?op=" + op + "&exp=" + expiresAtMs + "&max=" + maxBytes
                + "&sig=" + sign(op, blobId, expiresAtMs, maxBytes);
    }

    String sign(String op, UUID blobId, long expiresAtMs, long maxBytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal((op + "\n" + blobId + "\n" + expiresAtMs + "\n" + maxBytes)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** True when {@code signature} is this key's signature of these fields (compared in constant time). */
    boolean verify(String op, UUID blobId, long expiresAtMs, long maxBytes, String signature) {
        byte[] expected = sign(op, blobId, expiresAtMs, maxBytes).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
