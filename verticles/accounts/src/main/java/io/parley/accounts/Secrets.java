package io.parley.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets and their stored form. Device secrets are 192 random bits, so a salted SHA-256
 * (as Signal does for device tokens) is enough: there is nothing to brute-force, and a connect
 * storm does not pay a slow password hash per connection.
 */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEVICE_SECRET_BYTES = 24;
    private static final int SALT_BYTES = 16;
    private static final int LINK_CODE_BYTES = 16;
    private static final int VERIFICATION_CODE_DIGITS = 6;

    private Secrets() {
    }

    static String deviceSecret() {
        return token(DEVICE_SECRET_BYTES);
    }

    static String linkCode() {
        return token(LINK_CODE_BYTES);
    }

    static String verificationCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < VERIFICATION_CODE_DIGITS; i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    static byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    static byte[] hash(byte[] salt, String secret) {
        MessageDigest sha = sha256();
        sha.update(salt);
        return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hash(String secret) {
        return sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time check of a presented secret against its stored salt and hash. */
    static boolean matches(byte[] salt, byte[] storedHash, String presented) {
        return MessageDigest.isEqual(storedHash, hash(salt, presented));
    }

    private static String token(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
