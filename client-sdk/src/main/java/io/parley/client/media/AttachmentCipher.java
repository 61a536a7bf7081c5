package io.parley.client.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Attachment encryption as Signal does it: a random 64-byte key per attachment (AES-256 key ‖
 * HMAC-SHA256 key); the ciphertext is IV ‖ AES-256-CBC(PKCS#7) ‖ HMAC-SHA256(IV ‖ ciphertext), and its
 * digest is SHA-256 of all of that. The key and digest travel inside the end-to-end encrypted message;
 * the server stores the ciphertext and checks the digest. Streams files; blocking: call on a worker.
 */
public final class AttachmentCipher {
    public static final int KEY_BYTES = 64;
    private static final int IV_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int CHUNK = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a sealed file needs to be found and opened again. */
    public record Sealed(byte[] key, byte[] digest, long size, long plaintextSize) {
    }

    private AttachmentCipher() {
    }

    /** Encrypts {@code plain} into {@code sealed} under a new random key. */
    public static Sealed encrypt(Path plain, Path sealed) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(sealed)) {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
            Mac mac = mac(key);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Output sink = new Output(out, mac, digest);
            sink.write(iv);
            byte[] chunk = new byte[CHUNK];
            long plaintext = 0;
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                plaintext += n;
                sink.write(aes.update(chunk, 0, n));
            }
            sink.write(aes.doFinal());
            byte[] tag = mac.doFinal();
            out.write(tag);
            digest.update(tag);
            return new Sealed(key, digest.digest(), sink.written + MAC_BYTES, plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/HMAC unavailable", e);
        }
    }

    /**
     * Checks {@code sealed} against the digest and the MAC, then decrypts it into {@code plain}.
     * Throws {@link SecurityException} when either check fails (and writes nothing then).
     */
    public static void decrypt(Path sealed, Path plain, byte[] key, byte[] expectedDigest) throws IOException {
        if (key.length != KEY_BYTES) {
            throw new SecurityException("an attachment key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        long size = Files.size(sealed);
        if (size < IV_BYTES + MAC_BYTES + 16) {
            throw new SecurityException("attachment ciphertext is too short");
        }
        try {
            Mac mac = mac(key);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] tag;
            // First pass: digest and MAC over everything, before any plaintext is written.
            try (InputStream in = Files.newInputStream(sealed)) {
                long body = size - MAC_BYTES;
                byte[] chunk = new byte[CHUNK];
                for (long left = body; left > 0; ) {
                    int n = in.read(chunk, 0, (int) Math.min(CHUNK, left));
                    mac.update(chunk, 0, n);
                    digest.update(chunk, 0, n);
                    left -= n;
                }
                tag = in.readNBytes(MAC_BYTES);
                digest.update(tag);
            }
            if (!MessageDigest.isEqual(digest.digest(), expectedDigest)) {
                throw new SecurityException("attachment digest does not match the message's");
            }
            if (!MessageDigest.isEqual(mac.doFinal(), tag)) {
                throw new SecurityException("attachment MAC does not verify");
            }
            try (InputStream in = Files.newInputStream(sealed); OutputStream out = Files.newOutputStream(plain)) {
                byte[] iv = in.readNBytes(IV_BYTES);
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
                byte[] chunk = new byte[CHUNK];
                for (long left = size - MAC_BYTES - IV_BYTES; left > 0; ) {
                    int n = in.read(chunk, 0, (int) Math.min(CHUNK, left));
                    out.write(aes.update(chunk, 0, n));
                    left -= n;
                }
                out.write(aes.doFinal());
            }
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(plain);
            throw new SecurityException("attachment does not decrypt: " + e.getMessage(), e);
        }
    }

    private static Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Arrays.copyOfRange(key, 32, 64), "HmacSHA256"));
        return mac;
    }

    /** Writes ciphertext while feeding the MAC and the digest. */
    private static final class Output {
        private final OutputStream out;
        private final Mac mac;
        private final MessageDigest digest;
        private long written;

        Output(OutputStream out, Mac mac, MessageDigest digest) {
            this.out = out;
            this.mac = mac;
            this.digest = digest;
        }

        void write(byte[] bytes) throws IOException {
            if (bytes == null || bytes.length == 0) {
                return;
            }
            out.write(bytes);
            mac.update(bytes);
            digest.update(bytes);
            written += bytes.length;
        }
    }
}
