package io.parley.events;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Compact JWTs signed for the push services (RS256 for Google's OAuth, ES256 for APNs) and PEM keys. */
final class Jwts {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {
    }

    static String sign(JsonObject header, JsonObject claims, PrivateKey key) throws GeneralSecurityException {
        String signingInput = B64URL.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : "SHA256withECDSAinP1363Format");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(signature.sign());
    }

    /** A PKCS#8 private key in PEM ("-----BEGIN PRIVATE KEY-----"), RSA or EC. */
    static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            throw new java.security.spec.InvalidKeySpecException("not a PEM private key", e);
        }
    }
}
