package io.parley.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless NONCEs: 16 hex digits of the issuing time in milliseconds followed by 24 hex digits of
 * HMAC-SHA256(server key, time ‖ client IP). The server keeps nothing per nonce; one it did not sign,
 * or signed for another address, is invalid; one older than the nonce lifetime is stale (438).
 * The key is random per process, so nonces do not survive a restart (clients then get a fresh one).
 */
final class NonceSigner {
    private static final int TIME_DIGITS = 16;
    private static final int MAC_BYTES = 12;
    static final int LENGTH = TIME_DIGITS + MAC_BYTES * 2;

    enum Verdict { VALID, STALE, INVALID }

    private final SecretKeySpec key;
    private final Clock clock;
    private final long lifetimeMillis;

    NonceSigner(Clock clock, Duration lifetime) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.key = new SecretKeySpec(random, "HmacSHA256");
        this.clock = clock;
        this.lifetimeMillis = lifetime.toMillis();
    }

    String issue(String clientIp) {
        String time = String.format("%016x", clock.millis());
        return time + mac(time, clientIp);
    }

    Verdict check(String nonce, String clientIp) {
        if (nonce.length() != LENGTH) {
            return Verdict.INVALID;
        }
        String time = nonce.substring(0, TIME_DIGITS);
        byte[] expected = mac(time, clientIp).getBytes(StandardCharsets.US_ASCII);
        byte[] given = nonce.substring(TIME_DIGITS).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.INVALID;
        }
        long issued = Long.parseUnsignedLong(time, 16);
        long age = clock.millis() - issued;
        return age < 0 || age > lifetimeMillis ? Verdict.STALE : Verdict.VALID;
    }

    private String mac(String time, String clientIp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(time.getBytes(StandardCharsets.US_ASCII));
            byte[] digest = mac.doFinal(clientIp.getBytes(StandardCharsets.US_ASCII));
            StringBuilder hex = new StringBuilder(MAC_BYTES * 2);
            for (int i = 0; i < MAC_BYTES; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
