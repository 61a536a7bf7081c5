package io.parley.bus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * REST-style ephemeral TURN credentials, the contract between the calls role (which hands them out)
 * and the turn role (which checks them) (the "TURN REST API" draft that coturn follows): the username is
 * {@code expiry:userId} with expiry in Unix seconds, the password is base64(HMAC-SHA1(secret, username)).
 * Whoever knows the shared secret (the calls verticle) can hand them out; the server checks them
 * without storing anything.
 */
public final class RestCredentials {
    private static final String HMAC_SHA1 = "HmacSHA1";
    /** Longest USERNAME accepted; RFC 8489 limits it to 513 bytes. */
    public static final int MAX_USERNAME_BYTES = 513;

    private final SecretKeySpec key;

    public RestCredentials(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1);
    }

    /** A username and password valid until {@code expiry} for {@code userId}. */
    public Credential issue(String userId, Instant expiry) {
        String username = expiry.getEpochSecond() + ":" + userId;
        return new Credential(username, password(username), expiry);
    }

    /** The password that belongs to a username (whatever its expiry). */
    public String password(String username) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is missing from this JVM", e);
        }
    }

    /** The long-term key of RFC 8489 section 9.2.2: MD5(username ":" realm ":" password). */
    public byte[] longTermKey(String username, String realm) {
        try {
            return MessageDigest.getInstance("MD5").digest((username + ":" + realm + ":" + password(username))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /** The user a username names, if it has the form expiry:userId; the expiry is not checked here. */
    public static Optional<Username> parse(String username) {
        int colon = username.indexOf(':');
        if (colon < 1 || colon > 12 || colon == username.length() - 1) {
            return Optional.empty();
        }
        String expiry = username.substring(0, colon);
        for (int i = 0; i < expiry.length(); i++) {
            if (expiry.charAt(i) < '0' || expiry.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(new Username(Long.parseLong(expiry), username.substring(colon + 1)));
    }

    /** A username taken apart. */
    public record Username(long expiryEpochSecond, String userId) {
    }

    /** What a client needs to use the relay. */
    public record Credential(String username, String password, Instant expiry) {
    }
}
